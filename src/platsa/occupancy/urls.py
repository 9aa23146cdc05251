from django.urls import path

from platsa.occupancy import views, views_award, views_renewal

urlpatterns = [
    path("belaggning/", views.overview, name="occupancy_overview"),
    path("fakturaunderlag/", views.invoicing, name="invoicing"),
    path("behov/", views.need, name="need"),
    path("avtal/<int:pk>/fornyelse/", views_renewal.agreement_renewal, name="agreement_renewal"),
    path(
        "upphandlingar/<int:pk>/tilldelning/",
        views_award.procurement_award_view,
        name="procurement_award",
    ),
    path("fakturaunderlag/csv/", views.invoicing_csv, name="invoicing_csv"),
    path("fakturaunderlag/xlsx/", views.invoicing_xlsx, name="invoicing_xlsx"),
]
