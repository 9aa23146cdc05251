from django.urls import path

from platsa.impact import views

urlpatterns = [
    path("mal/", views.goals, name="goals"),
    path("varde/", views.value, name="value"),
    path("varde/organisationer/", views.organisations, name="organisation_profiles"),
    path("rapport/", views.report, name="report"),
    path("alternativ/", views.alternatives, name="alternatives"),
    path("scenarier/", views.scenarios, name="scenarios"),
    path("scenarier/<int:pk>/", views.scenario_detail, name="scenario_detail"),
]
