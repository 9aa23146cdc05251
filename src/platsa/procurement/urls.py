from django.urls import path

from platsa.procurement import views

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("avtal/", views.agreement_list, name="agreement_list"),
    path("avtal/<int:pk>/", views.agreement_detail, name="agreement_detail"),
]
