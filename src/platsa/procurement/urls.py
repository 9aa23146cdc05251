from django.urls import path

from platsa.procurement import views, views_manage

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/ny/", views_manage.organisation_edit, name="organisation_new"),
    path(
        "organisationer/<int:pk>/andra/", views_manage.organisation_edit, name="organisation_edit"
    ),
    path("avtal/nytt/", views_manage.agreement_new, name="agreement_new"),
    path("avtal/<int:pk>/andra/", views_manage.agreement_edit, name="agreement_edit"),
    path("avtal/<int:pk>/platser/", views_manage.agreement_places, name="agreement_places"),
    path(
        "avtal/<int:pk>/handledare/", views_manage.agreement_supervisor, name="agreement_supervisor"
    ),
    path("avtal/<int:pk>/uppsagning/", views_manage.agreement_notice, name="agreement_notice"),
    path("platser/<int:pk>/", views_manage.place_edit, name="place_edit"),
    path("organisationer/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("avtal/", views.agreement_list, name="agreement_list"),
    path("avtal/<int:pk>/", views.agreement_detail, name="agreement_detail"),
]
