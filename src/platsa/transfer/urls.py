from django.urls import path

from platsa.transfer import views, views_exports, views_tokens
from platsa.transfer.api import api

urlpatterns = [
    path("import/", views.import_list, name="import_list"),
    path("import/mall/<slug:kind>.xlsx", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/importera/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/status/", views.import_status, name="import_status"),
    path("import/<int:pk>/kasta/", views.import_discard, name="import_discard"),
    path("import/<int:pk>/angra/", views.import_undo, name="import_undo"),
    path("export/", views_exports.exports, name="exports"),
    path("api-nycklar/", views_tokens.api_tokens, name="api_tokens"),
    path("api-nycklar/<int:pk>/aterkalla/", views_tokens.api_token_revoke, name="api_token_revoke"),
    path("api/v1/", api.urls),
]
