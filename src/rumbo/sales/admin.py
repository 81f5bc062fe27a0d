"""Django admin for sales records (operators)."""

from django.contrib import admin

from rumbo.sales.models import (
    Activity,
    Complaint,
    Contact,
    Customer,
    Deal,
    DealLine,
    ExchangeRate,
    Product,
    SurveyResponse,
    Technique,
)


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organization", "owner", "segment", "country"]
    list_filter = ["organization", "kind", "size_band"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["owner"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "customer", "email", "organization"]
    search_fields = ["name", "email"]
    raw_id_fields = ["customer"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "category", "list_price", "active", "organization"]
    list_filter = ["organization", "active", "category"]
    search_fields = ["sku", "name"]


@admin.register(Technique)
class TechniqueAdmin(admin.ModelAdmin):
    list_display = ["name", "active", "organization"]
    list_filter = ["organization"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "date", "rate", "organization"]
    list_filter = ["organization", "currency"]


class DealLineInline(admin.TabularInline):
    model = DealLine
    raw_id_fields = ["product"]
    extra = 0


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "customer", "outcome", "amount", "currency", "closed_on"]
    list_filter = ["organization", "outcome", "stage"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["owner", "customer"]
    inlines = [DealLineInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "owner", "customer", "outcome"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["owner", "customer", "deal"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["responded_on", "kind", "score", "customer", "rep"]
    list_filter = ["organization", "kind"]
    raw_id_fields = ["customer", "deal", "rep"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ["opened_at", "customer", "rep", "severity", "category", "status"]
    list_filter = ["organization", "status", "severity"]
    raw_id_fields = ["customer", "deal", "rep"]
