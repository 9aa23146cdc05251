from django.urls import path

from platsa.impact import views

urlpatterns = [
    path("mal/", views.goals, name="goals"),
    path("varde/", views.value, name="value"),
]
