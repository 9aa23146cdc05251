from allauth.account import views as allauth_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from platsa.site import views as site_views
from platsa.site import views_guidance, views_sharing

urlpatterns = [
    path("", site_views.home, name="home"),
    path("logga-in/", allauth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html", success_url="/losenord/klart/"
        ),
        name="password_change",
    ),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("vagledning/", views_guidance.guidance, name="guidance"),
    path("vagledning/andra/", views_guidance.guidance_edit, name="guidance_edit"),
    path("delning/", views_sharing.region_sharing, name="region_sharing"),
    path(
        "delning/<int:pk>/avsluta/",
        views_sharing.region_sharing_withdraw,
        name="region_sharing_withdraw",
    ),
    path("", include("platsa.procurement.urls")),
    path("", include("platsa.placements.urls")),
    path("", include("platsa.occupancy.urls")),
    path("", include("platsa.impact.urls")),
    path("", include("platsa.transfer.urls")),
    # Login, second factor and password reset (django-allauth); the admin logs in through it too.
    path("konto/", include("allauth.urls")),
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]

# Too many requests of one kind (e.g. password-reset e-mails): said in Swedish, in our layout.
handler429 = "platsa.site.views.too_many_requests"
