from django.urls import path

from publications import views

app_name = "publications"

urlpatterns = [
    path("publications/", views.publication_list, name="publication-list"),
    path("publications/<int:pk>/", views.publication_detail, name="publication-detail"),
    path("publications/<int:pk>/studied/", views.receipt_confirm_view, name="receipt-confirm"),
    path("publications/attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("bulletins/", views.bulletin_list, name="bulletin-list"),
]
