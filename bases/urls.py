from django.urls import path

from bases import views

app_name = "bases"

urlpatterns = [
    path("", views.base_list, name="base-list"),
    path("my-bookings/", views.my_bookings, name="booking-list"),
    path("bookings/find/", views.booking_lookup, name="booking-lookup"),
    path("bookings/open/<str:token>/", views.booking_open, name="booking-open"),
    path("bookings/<str:reference>/", views.booking_detail, name="booking-detail"),
    path("bookings/<str:reference>/print/", views.booking_print, name="booking-print"),
    path("bookings/<str:reference>/cancel/", views.booking_cancel_view, name="booking-cancel"),
    path("bookings/<str:reference>/coming/", views.booking_confirm_visit_view, name="booking-confirm-visit"),
    path("<slug:slug>/", views.base_detail, name="base-detail"),
    path("<slug:slug>/directions/", views.base_directions, name="base-directions"),
    path("<slug:slug>/book/<int:slot_id>/", views.booking_create_view, name="booking-create"),
]
