from django.contrib import admin

from exports.models import Export, ExportFile


class ExportFileInline(admin.TabularInline):
    model = ExportFile
    fields = ("name", "rows", "size", "sha256")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Exports are made by projects; reviewers see them, they do not edit them."""

    list_display = ("id", "project", "resource", "format", "status", "rows_written", "created_at")
    list_filter = ("status", "resource", "format")
    search_fields = ("id", "project__title")
    readonly_fields = [f.name for f in Export._meta.fields]
    inlines = [ExportFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
