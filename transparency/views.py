"""The public transparency page: the latest release, its charts, tables and CSV files."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from transparency.models import Release


@require_safe
def page(request):
    release = Release.objects.first()
    return render(request, "transparency/page.html", {"release": release})


@require_safe
def figure_csv(request, name: str):
    release = Release.objects.first()
    if release is None or name not in release.figures:
        raise Http404("no such figure")
    figure = release.figures[name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(figure["columns"])
    for row in figure["rows"]:
        writer.writerow(["" if value is None else value for value in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{release.end_date:%Y%m%d}.csv"'
    return response
