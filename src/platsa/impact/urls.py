from django.urls import path

from platsa.impact import views

urlpatterns = [
    path("mal/", views.goals, name="goals"),
    path("varde/", views.value, name="value"),
    path("scenarier/", views.scenarios, name="scenarios"),
    path("scenarier/<int:pk>/", views.scenario_detail, name="scenario_detail"),
]
