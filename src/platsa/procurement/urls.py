from django.urls import path

from platsa.procurement import views, views_manage, views_tenders

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

urlpatterns += [
    path("upphandlingar/", views_tenders.procurement_list, name="procurement_list"),
    path("upphandlingar/ny/", views_tenders.procurement_edit, name="procurement_new"),
    path("upphandlingar/<int:pk>/", views_tenders.procurement_detail, name="procurement_detail"),
    path("upphandlingar/<int:pk>/andra/", views_tenders.procurement_edit, name="procurement_edit"),
    path(
        "upphandlingar/<int:pk>/utvarderare/",
        views_tenders.procurement_evaluator_add,
        name="procurement_evaluator_add",
    ),
    path(
        "upphandlingar/<int:pk>/utvarderare/<int:evaluator>/ta-bort/",
        views_tenders.procurement_evaluator_remove,
        name="procurement_evaluator_remove",
    ),
    path(
        "upphandlingar/<int:pk>/jav/", views_tenders.procurement_declare, name="procurement_declare"
    ),
    path("upphandlingar/<int:pk>/anbud/nytt/", views_tenders.tender_edit, name="tender_new"),
    path("anbud/<int:pk>/", views_tenders.tender_detail, name="tender_detail"),
    path("anbud/<int:tender>/andra/", views_tenders.tender_edit, name="tender_edit"),
]
