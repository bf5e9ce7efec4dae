from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("setup/", views.mfa_setup, name="mfa-setup"),
    path("verify/", views.mfa_verify, name="mfa-verify"),
]
