"""Headers of public CRM export layouts, as their vendors document them, are
recognised whatever their spelling (Title Case, snake_case, camelCase, a
record word in front). Each table is one layout: header -> the field key it
must map to ("" for a column Rumbo has no field for, which is left out)."""

from __future__ import annotations

import pytest

from rumbo.imports.columns import auto_map
from rumbo.imports.kinds import KINDS

LAYOUTS: dict[str, tuple[str, dict[str, str]]] = {
    # Salesforce report "Opportunities" (Lightning, exported as CSV).
    "salesforce opportunity report": ("deals", {
        "Opportunity Owner": "owner_id", "Account Name": "customer_id",
        "Opportunity Name": "name", "Stage": "stage_word", "Fiscal Period": "",
        "Amount": "amount", "Probability (%)": "", "Age": "", "Close Date": "closed_on",
        "Created Date": "created_on", "Next Step": "", "Lead Source": "source",
        "Type": "",
    }),
    # Salesforce Data Loader export of Opportunity (API names, PascalCase).
    "salesforce opportunity api": ("deals", {
        "Id": "external_id", "Name": "name", "StageName": "stage_word", "Amount": "amount",
        "CloseDate": "closed_on", "CreatedDate": "created_on", "OwnerId": "owner_id",
        "LeadSource": "source", "CurrencyIsoCode": "", "Probability": "",
    }),
    # Salesforce report "Accounts" and the Account API names.
    "salesforce accounts": ("customers", {
        "Account Name": "name", "Account Owner": "owner_id", "Billing City": "city",
        "Billing State/Province": "region", "Billing Country": "country", "Type": "segment",
        "Industry": "industry", "Employees": "employees", "Annual Revenue": "",
        "Phone": "phone", "Account ID": "external_id",
    }),
    "salesforce account api": ("customers", {
        "Id": "external_id", "Name": "name", "BillingCity": "city", "BillingState": "region",
        "BillingCountry": "country", "NumberOfEmployees": "employees", "Industry": "industry",
        "OwnerId": "owner_id", "AnnualRevenue": "",
    }),
    # HubSpot deals export (property labels) and its internal property names.
    "hubspot deals": ("deals", {
        "Record ID": "external_id", "Deal Name": "name", "Deal Stage": "stage_word",
        "Amount": "amount", "Close Date": "closed_on", "Create Date": "created_on",
        "Deal owner": "owner_id", "Pipeline": "", "Associated Company": "customer_id",
        "Deal Type": "",
    }),
    "hubspot deal properties": ("deals", {
        "hs_object_id": "", "dealname": "name", "dealstage": "stage_word", "amount": "amount",
        "closedate": "closed_on", "createdate": "created_on", "hubspot_owner_id": "owner_id",
        "pipeline": "",
    }),
    "hubspot companies": ("customers", {
        "Record ID": "external_id", "Company name": "name", "Company owner": "owner_id",
        "Phone Number": "phone", "City": "city", "State/Region": "region",
        "Country/Region": "country", "Industry": "industry",
        "Number of Employees": "employees", "Annual Revenue": "", "Type": "segment",
    }),
    # Pipedrive deals and organizations export ("Record - Field" headers).
    "pipedrive deals": ("deals", {
        "Deal - ID": "external_id", "Deal - Title": "name", "Deal - Value": "amount",
        "Deal - Currency": "currency", "Deal - Organization": "customer_id",
        "Deal - Contact person": "", "Deal - Owner": "owner_id", "Deal - Stage": "stage_word",
        "Deal - Status": "outcome_word", "Deal - Deal created": "created_on",
        "Deal - Won time": "closed_on", "Deal - Lost reason": "loss_reason",
    }),
    "pipedrive organizations": ("customers", {
        "Organization - ID": "external_id", "Organization - Name": "name",
        "Organization - Owner": "owner_id", "Organization - Address - Country": "country",
        "Organization - Address - City/town": "city", "Organization - Industry": "industry",
        "Organization - Number of employees": "employees", "Organization - People": "",
    }),
    # Zoho CRM deals and accounts export (field labels), and its API names.
    "zoho deals": ("deals", {
        "Record Id": "external_id", "Deal Owner": "owner_id", "Deal Name": "name",
        "Amount": "amount", "Closing Date": "closed_on", "Account Name": "customer_id",
        "Stage": "stage_word", "Type": "", "Probability (%)": "", "Expected Revenue": "",
        "Lead Source": "source", "Contact Name": "", "Created Time": "created_on",
    }),
    "zoho deals api": ("deals", {
        "Deal_Name": "name", "Closing_Date": "closed_on", "Account_Name": "customer_id",
        "Stage": "stage_word", "Amount": "amount", "Owner": "owner_id",
        "Created_Time": "created_on",
    }),
    "zoho accounts": ("customers", {
        "Account Owner": "owner_id", "Account Name": "name", "Phone": "phone",
        "Website": "", "Account Type": "segment", "Industry": "industry",
        "Employees": "employees", "Annual Revenue": "", "Billing City": "city",
        "Billing Country": "country",
    }),
    # Dynamics 365 Sales, "Export to Excel" of the opportunity and account views.
    "dynamics opportunities": ("deals", {
        "Topic": "name", "Potential Customer": "customer_id", "Est. Close Date": "closed_on",
        "Est. Revenue": "amount", "Probability": "", "Owner": "owner_id",
        "Created On": "created_on", "Status": "outcome_word",
    }),
    "dynamics accounts": ("customers", {
        "Account Name": "name", "Main Phone": "phone", "Address 1: City": "city",
        "Address 1: Country/Region": "country", "Primary Contact": "",
        "Number of Employees": "employees", "Industry": "industry", "Owner": "owner_id",
    }),
    # Odoo CRM pipeline and products list views, exported.
    "odoo pipeline": ("deals", {
        "Opportunity": "name", "Customer": "customer_id", "Expected Revenue": "amount",
        "Stage": "stage_word", "Salesperson": "owner_id", "Sales Team": "",
        "Expected Closing": "closed_on", "Created on": "created_on", "Tags": "",
    }),
    "odoo products": ("products", {
        "Name": "name", "Internal Reference": "sku", "Sales Price": "list_price",
        "Cost": "", "Product Category": "category", "Barcode": "",
    }),
    # The "CRM sales opportunities" sample data set (four snake_case files).
    "sample crm pipeline": ("deals", {
        "opportunity_id": "external_id", "sales_agent": "owner_id", "product": "line_product",
        "account": "customer_id", "deal_stage": "stage_word", "engage_date": "created_on",
        "close_date": "closed_on", "close_value": "amount",
    }),
    "sample crm sales_teams": ("reps", {
        "sales_agent": "name", "manager": "manager", "regional_office": "team",
    }),
    "sample crm accounts": ("customers", {
        "account": "name", "sector": "industry", "year_established": "", "revenue": "",
        "employees": "employees", "office_location": "country", "subsidiary_of": "",
    }),
    "sample crm products": ("products", {
        "product": "name", "series": "category", "sales_price": "list_price",
    }),
    # Spellings seen in hand-made and other exports: camelCase, snake_case, kebab-case.
    "mixed spellings": ("deals", {
        "dealValue": "amount", "owner_name": "owner_id", "created_date": "created_on",
        "deal-name": "name", "closeDate": "closed_on", "dealStage": "stage_word",
    }),
    "mixed customers": ("customers", {
        "companyName": "name", "employee_count": "employees", "COUNTRY": "country",
        "Pays": "", "Ciudad": "city",
    }),
    "customers with ids": ("customers", {
        "Customer ID": "external_id", "Customer Name": "name", "Email": "email",
    }),
    "spanish products": ("products", {
        "Código": "sku", "Nombre": "name", "Precio": "list_price", "Familia": "category",
    }),
}  # fmt: skip


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_export_layout_headers_map_to_their_fields(layout: str) -> None:
    kind, expected = LAYOUTS[layout]
    mapping = auto_map(KINDS[kind], list(expected)).as_json()
    wrong = {h: (mapping[h], want) for h, want in expected.items() if mapping[h] != want}
    assert not wrong, f"{layout}: header -> (mapped, expected) {wrong}"
