from django.urls import path

from accounts import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<uuid:application_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:application_id>/edit/", views.application_edit, name="application_edit"
    ),
    path(
        "applications/<uuid:application_id>/submit/",
        views.application_submit,
        name="application_submit",
    ),
    path(
        "applications/<uuid:application_id>/withdraw/",
        views.application_withdraw,
        name="application_withdraw",
    ),
    path("projects/<uuid:project_id>/", views.project_detail, name="project"),
    path("projects/<uuid:project_id>/secret/", views.project_issue_secret, name="project_secret"),
    path("projects/<uuid:project_id>/clients/", views.project_add_client, name="project_clients"),
]
