from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("records/<int:pk>/", views.record_detail, name="record-detail"),
    path("<int:pk>/document/", views.campaign_document, name="campaign-document"),
    path("sectors/<slug:code>/", views.sector_detail, name="sector-detail"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/gallery/", views.gallery, name="gallery"),
    path("works/<int:pk>/<str:variant>.jpg", views.gallery_image, name="gallery-image"),
    path("submissions/status/", views.submission_status, name="submission-status"),
    path("submissions/<str:code>/", views.submission_receipt, name="submission-receipt"),
]
