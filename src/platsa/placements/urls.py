from django.urls import path

from platsa.placements import views

urlpatterns = [
    path("placeringar/", views.placement_list, name="placement_list"),
    path("placeringar/<int:pk>/", views.placement_detail, name="placement_detail"),
]
