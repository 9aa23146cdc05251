from django.urls import path

from platsa.placements import (
    views,
    views_access,
    views_confirm,
    views_followup,
    views_intake,
    views_week,
)

urlpatterns = [
    path("narvaro/", views_week.team_week, name="team_week"),
    path("atkomstlogg/", views_access.access_log, name="access_log"),
    path("atkomstlogg/export.csv", views_access.access_log_csv, name="access_log_csv"),
    path("atkomstlogg/granskning/", views_access.access_review, name="access_review"),
    path("deltagare/<int:pk>/skal/", views_access.access_reason, name="access_reason"),
    path("remisser/", views_intake.referral_queue, name="referral_queue"),
    path(
        "remisser/<int:pk>/aterkalla/",
        views_intake.referral_withdraw_view,
        name="referral_withdraw",
    ),
    path("deltagare/ny/", views_intake.participant_new, name="participant_new"),
    path("deltagare/<int:pk>/remiss/", views_intake.referral_new, name="referral_new"),
    path(
        "deltagare/<int:pk>/placera/<int:place_pk>/",
        views_intake.placement_new,
        name="placement_new",
    ),
    path("placeringar/<int:pk>/flytta/", views_intake.placement_move_view, name="placement_move"),
    path("placeringar/<int:pk>/paus/", views_intake.placement_pause_view, name="placement_pause"),
    path("placeringar/", views.placement_list, name="placement_list"),
    path("indikatorer/", views.indicators, name="indicators"),
    path("placeringar/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("placeringar/<int:pk>/narvaro/", views_followup.attendance_week, name="attendance_week"),
    path(
        "placeringar/<int:pk>/narvaro/bekrafta/",
        views_confirm.week_confirm_view,
        name="week_confirm",
    ),
    path("bekrafta/", views_confirm.confirm_with_code, name="confirm_with_code"),
    path(
        "narvaro/avvikelser/", views_confirm.attendance_differences, name="attendance_differences"
    ),
    path(
        "placeringar/<int:pk>/avsluta/", views_followup.placement_close_view, name="placement_close"
    ),
    path("placeringar/<int:pk>/uppfoljning/", views_followup.meeting_view, name="meeting_new"),
    path("efterkontroller/<int:pk>/", views_followup.exit_check_view, name="exit_check"),
    path("deltagare/<int:pk>/", views_followup.participant_timeline, name="participant_timeline"),
    path(
        "deltagare/<int:pk>/profil/", views_followup.participant_profile, name="participant_profile"
    ),
    path("deltagare/<int:pk>/platser/", views_followup.place_finder, name="place_finder"),
    path("placeringar/<int:pk>/plan/", views_followup.plan_edit, name="plan_edit"),
    path("placeringar/<int:pk>/skattning/", views_followup.assessment_new, name="assessment_new"),
]
