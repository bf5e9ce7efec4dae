from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="quiz-list"),
    path("<int:pk>/", views.quiz_detail, name="quiz-detail"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
]
