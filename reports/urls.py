from django.urls import path

from reports import drilldown, views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_page, name="report"),
    path("reports/report.docx", views.report_docx, name="report-docx"),
    path("reports/figures.xlsx", views.report_xlsx, name="report-xlsx"),
    path("reports/jobs/<int:pk>/", views.report_job, name="report-job"),
    path("reports/jobs/<int:pk>/file/", views.report_job_file, name="report-job-file"),
    path("reports/figures/<str:figure_id>/", drilldown.figure_rows, name="figure-rows"),
    path("reports/figures/<str:figure_id>/rows.xlsx", drilldown.figure_rows_xlsx, name="figure-rows-xlsx"),
    path("stats/", views.public_stats, name="stats"),
    path("stats/stats.json", views.public_stats_json, name="stats-json"),
    path("stats/stats.csv", views.public_stats_csv, name="stats-csv"),
]
