from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("contact/", views.contact, name="contact"),
    path("prefs/elder-mode/", views.elder_mode, name="elder-mode"),
    path("editor/images/", views.editor_image_upload, name="editor-image-upload"),
]
