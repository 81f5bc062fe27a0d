"""Django admin for operators (staff users); tenants use Rumbo's own pages."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from rumbo.tenancy.models import ApiToken, AuditEntry, Member, Organization, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "language", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "language")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "language", "time_zone", "is_independent"]
    search_fields = ["name", "slug"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Relabelling the base currency here would skip the conversion of every
        # stored amount: an organisation's settings page converts (ADR 0013).
        return ["currency"] if obj is not None else []


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "parent", "manager"]
    list_filter = ["organization"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "manager"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organization", "role", "team", "is_active"]
    list_filter = ["organization", "role", "is_active"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user", "team"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "member", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "token_hash"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "organization", "actor", "action", "model", "object_id", "summary"]
    list_filter = ["action", "model"]
