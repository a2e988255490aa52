from django.urls import path

from transparency import views

app_name = "transparency"

urlpatterns = [
    path("", views.page, name="page"),
    path("<slug:name>.csv", views.figure_csv, name="csv"),
]
