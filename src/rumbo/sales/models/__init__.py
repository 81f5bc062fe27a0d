"""Sales records: customers and contacts, catalogues, deals, activities and feedback."""

from rumbo.sales.models.catalogue import ExchangeRate, Product, Technique
from rumbo.sales.models.customers import Contact, Customer
from rumbo.sales.models.deals import Activity, Deal, DealLine
from rumbo.sales.models.feedback import Complaint, SurveyResponse

__all__ = [
    "Activity", "Complaint", "Contact", "Customer", "Deal", "DealLine", "ExchangeRate",
    "Product", "SurveyResponse", "Technique",
]  # fmt: skip
