from django.urls import path

from platsa.impact import views, views_costs, views_parameters, views_region

urlpatterns = [
    path("mal/", views.goals, name="goals"),
    path("varde/", views.value, name="value"),
    path("varde/organisationer/", views.organisations, name="organisation_profiles"),
    path("rapport/", views.report, name="report"),
    path("rapport/jobb/<int:pk>/", views.report_job, name="report_job"),
    path("rapport/jobb/<int:pk>/fil/", views.report_job_file, name="report_job_file"),
    path("rapport/jobb/<int:pk>/status/", views.report_job_status, name="report_job_status"),
    path("alternativ/", views.alternatives, name="alternatives"),
    path("varde/kostnader/", views_costs.full_costs, name="full_costs"),
    path("varde/parametrar/", views_parameters.municipal_parameters, name="municipal_parameters"),
    path(
        "varde/parametrar/<int:pk>/ta-bort/",
        views_parameters.municipal_parameter_remove,
        name="municipal_parameter_remove",
    ),
    path("scenarier/", views.scenarios, name="scenarios"),
    path("scenarier/<int:pk>/", views.scenario_detail, name="scenario_detail"),
    path("region/", views_region.regional, name="regional"),
]
