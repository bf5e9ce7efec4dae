from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("", views.pledge_list, name="pledge-list"),
    path("<int:pk>/", views.pledge_detail, name="pledge-detail"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("certificates/<str:code>/signature.png", views.drawn_signature, name="drawn-signature"),
    path("verify/", views.verify_entry, name="verify-entry"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
