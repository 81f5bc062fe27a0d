"""Fixed word lists the demo draws from: names, company words, places, the
product and technique catalogues, and short texts. Our own small lists (no
Faker), so a seed gives the same data on every machine and Python release."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

FIRST_ES = [
    "Lucía", "Diego", "Carmen", "Javier", "Marta", "Pablo", "Elena", "Sergio", "Laura", "Álvaro",
    "Paula", "Hugo", "Sara", "Adrián", "Irene", "Raúl", "Nuria", "Iván", "Cristina", "Andrés",
    "Rocío", "Miguel", "Beatriz", "Óscar", "Alba", "Jorge", "Noelia", "Rubén", "Silvia", "Daniel",
    "Ana", "Tomás", "Inés", "Gonzalo", "Teresa", "Marcos", "Pilar", "Víctor", "Lorena", "Mario",
]  # fmt: skip
LAST_ES = [
    "García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez",
    "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Navarro", "Torres",
    "Domínguez", "Vázquez", "Ramos", "Gil", "Serrano", "Blanco", "Molina", "Morales", "Ortega",
    "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Iglesias", "Medina", "Garrido",
    "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Vidal",
]  # fmt: skip
FIRST_EN = [
    "James", "Olivia", "Harry", "Amelia", "George", "Emily", "Jack", "Sophie", "Thomas", "Grace",
    "Michael", "Emma", "Daniel", "Chloe", "Ryan", "Hannah", "David", "Megan", "Luke", "Rachel",
]  # fmt: skip
LAST_EN = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Walker",
    "Wright", "Thompson", "Evans", "Roberts", "Green", "Hall", "Wood", "Clarke", "Whitaker",
    "Hughes", "Turner",
]  # fmt: skip

COMPANY_WORDS = [
    "Atlántico", "Iberia", "Cantábrico", "Meridiano", "Horizonte", "Faro", "Brisa", "Roble",
    "Olivo", "Aurora", "Vértice", "Nexo", "Delta", "Pinar", "Cumbre", "Alba", "Prisma", "Levante",
    "Sierra", "Duero", "Ebro", "Mistral", "Norte", "Solana", "Ámbar", "Orbe", "Lince", "Tajo",
    "Northwind", "Harbour", "Summit", "Kestrel", "Granite", "Lumen", "Crescent", "Oakridge",
    "Bluebell", "Riverside", "Beacon", "Evergreen",
]  # fmt: skip
COMPANY_TRADES = [
    "Logística", "Ingeniería", "Consultores", "Distribuciones", "Tecnologías", "Alimentación",
    "Construcciones", "Salud", "Energía", "Textil", "Hoteles", "Farmacia", "Seguros", "Motor",
    "Logistics", "Engineering", "Partners", "Foods", "Systems", "Health", "Energy", "Retail",
]  # fmt: skip
COMPANY_SUFFIX = {
    "ES": ["S.L.", "S.A.", "S.L.U."], "PT": ["Lda."], "FR": ["SARL", "SAS"], "GB": ["Ltd"],
    "US": ["Inc.", "LLC"], "DE": ["GmbH"], "IT": ["S.r.l."], "MX": ["S.A. de C.V."],
}  # fmt: skip
INDUSTRIES = [
    "Manufacturing", "Retail", "Healthcare", "Logistics", "Hospitality", "Construction",
    "Financial services", "Education", "Public sector", "Energy", "Food and beverage",
    "Professional services", "Technology", "Agriculture",
]  # fmt: skip
JOB_TITLES = [
    "CEO", "Managing director", "Purchasing manager", "IT manager", "CFO", "Operations director",
    "Office manager", "Head of sales", "CTO", "Procurement lead",
]  # fmt: skip

# Spanish regions by sales team, each with a few cities.
REGIONS = {
    "North": {
        "Asturias": ["Oviedo", "Gijón"], "Cantabria": ["Santander"],
        "País Vasco": ["Bilbao", "San Sebastián", "Vitoria"], "Galicia": ["A Coruña", "Vigo"],
        "Navarra": ["Pamplona"], "La Rioja": ["Logroño"],
    },
    "Centre": {
        "Madrid": ["Madrid", "Alcalá de Henares", "Getafe"],
        "Castilla y León": ["Valladolid", "Burgos", "Salamanca"],
        "Castilla-La Mancha": ["Toledo", "Albacete"], "Aragón": ["Zaragoza", "Huesca"],
        "Extremadura": ["Badajoz", "Cáceres"],
    },
    "South": {
        "Andalucía": ["Sevilla", "Málaga", "Granada", "Córdoba"], "Murcia": ["Murcia", "Cartagena"],
        "Comunitat Valenciana": ["Valencia", "Alicante"], "Canarias": ["Las Palmas"],
        "Illes Balears": ["Palma"],
    },
}  # fmt: skip
# (country, region, city, weight): customers abroad, any team may own them.
ABROAD = [
    ("PT", "Lisboa", "Lisboa", 3), ("FR", "Île-de-France", "Paris", 3),
    ("GB", "England", "London", 5), ("GB", "England", "Manchester", 2),
    ("US", "New York", "New York", 4), ("US", "California", "San Francisco", 3),
    ("US", "Texas", "Austin", 1), ("DE", "Bayern", "München", 2),
    ("IT", "Lombardia", "Milano", 2), ("MX", "Ciudad de México", "Ciudad de México", 2),
]  # fmt: skip
COUNTRY_CURRENCY = {"GB": "GBP", "US": "USD"}


@dataclass(frozen=True)
class ProductSpec:
    sku: str
    name: str
    category: str
    price: Decimal
    audience: str  # "b" business, "c" consumer, "bc" both
    per_seat: bool  # quantity grows with the customer's size


def _p(sku: str, name: str, cat: str, price: str, aud: str, seat: bool) -> ProductSpec:
    return ProductSpec(sku, name, cat, Decimal(price), aud, seat)


PRODUCTS = [
    _p("SW-CRM-S", "CRM Starter licence", "Software", "290.00", "b", True),
    _p("SW-CRM-P", "CRM Professional licence", "Software", "690.00", "b", True),
    _p("SW-ANL", "Analytics Suite", "Software", "1450.00", "b", True),
    _p("SW-FLD", "Field Service App", "Software", "480.00", "b", True),
    _p("SW-PAY", "Payroll Module", "Software", "520.00", "b", True),
    _p("SW-INV", "Inventory Module", "Software", "610.00", "b", True),
    _p("SW-ECO", "E-commerce Connector", "Software", "350.00", "b", False),
    _p("CL-HST-S", "Cloud Hosting S", "Cloud", "1200.00", "b", False),
    _p("CL-HST-M", "Cloud Hosting M", "Cloud", "2600.00", "b", False),
    _p("CL-HST-L", "Cloud Hosting L", "Cloud", "5900.00", "b", False),
    _p("CL-BKP", "Backup Vault", "Cloud", "400.00", "bc", False),
    _p("CL-SEC", "Security Shield", "Cloud", "950.00", "b", True),
    _p("CL-DB", "Managed Database", "Cloud", "1800.00", "b", False),
    _p("HW-LAP-P", "Laptop Pro 14", "Hardware", "1390.00", "bc", True),
    _p("HW-LAP-A", "Laptop Air 13", "Hardware", "999.00", "bc", True),
    _p("HW-WKS", "Desktop Workstation", "Hardware", "1850.00", "b", True),
    _p("HW-MON", "27-inch Monitor", "Hardware", "329.00", "bc", True),
    _p("HW-DCK", "Docking Station", "Hardware", "189.00", "bc", True),
    _p("HW-HDS", "Wireless Headset", "Hardware", "119.00", "bc", True),
    _p("HW-CAM", "Conference Camera", "Hardware", "649.00", "b", False),
    _p("HW-TAB", "Tablet 10", "Hardware", "449.00", "bc", True),
    _p("HW-PHN", "Smartphone X", "Hardware", "899.00", "bc", True),
    _p("HW-PRT", "Laser Printer", "Hardware", "279.00", "bc", False),
    _p("SP-BAS", "Support Basic", "Support", "600.00", "b", False),
    _p("SP-PRM", "Support Premium", "Support", "2400.00", "b", False),
    _p("SP-DAY", "On-site Support Day", "Support", "750.00", "b", False),
    _p("SP-WAR", "Extended Warranty", "Support", "149.00", "bc", True),
    _p("TR-ONB", "Onboarding Workshop", "Training", "1200.00", "b", False),
    _p("TR-ADM", "Admin Certification Course", "Training", "890.00", "b", True),
    _p("TR-BTC", "Sales Team Bootcamp", "Training", "3500.00", "b", False),
    _p("CS-IMP", "Implementation Package", "Consulting", "8500.00", "b", False),
    _p("CS-AUD", "Process Audit", "Consulting", "4200.00", "b", False),
    _p("CS-MIG", "Data Migration", "Consulting", "3200.00", "b", False),
    _p("CS-INT", "Custom Integration", "Consulting", "12000.00", "b", False),
    _p("HM-MSH", "Home Wi-Fi Mesh", "Home", "249.00", "c", False),
    _p("HM-SMK", "Smart Home Starter Kit", "Home", "199.00", "c", False),
    _p("HM-OFF", "Home Office Bundle", "Home", "749.00", "c", False),
    _p("HM-CLD", "Family Cloud Storage", "Home", "99.00", "c", False),
    _p("HM-AV", "Antivirus Family", "Home", "59.00", "c", False),
    _p("HM-GAM", "Gaming Console", "Home", "499.00", "c", False),
]


@dataclass(frozen=True)
class TechniqueSpec:
    name: str
    description: str
    business: float  # win-probability effect on business customers
    consumer: float  # ... and on consumers
    discount: float  # how the technique moves the discount given
    care: float  # how it moves the customer's satisfaction after the sale


TECHNIQUES = [
    TechniqueSpec(
        "Consultative selling",
        "Diagnose before you prescribe: ask about the customer's goals and constraints, listen, "
        "and recommend only what fits. The seller acts as a trusted adviser.",
        0.04,
        0.02,
        -0.01,
        0.08,
    ),
    TechniqueSpec(
        "SPIN selling",
        "Structured questioning (Situation, Problem, Implication, Need-payoff) that lets the "
        "buyer state the cost of the problem and the value of solving it. Strong in complex B2B.",
        0.05,
        -0.02,
        -0.01,
        0.03,
    ),
    TechniqueSpec(
        "Solution selling",
        "Sell a solution to a diagnosed pain rather than a product: build a shared vision of the "
        "outcome and map the offer to it.",
        0.04,
        0.0,
        0.0,
        0.04,
    ),
    TechniqueSpec(
        "Value-based selling",
        "Quantify the return for this buyer (savings, revenue, risk) and price against that "
        "value, not against competitors' list prices. Holds discounts down.",
        0.05,
        0.01,
        -0.04,
        0.05,
    ),
    TechniqueSpec(
        "Challenger sale",
        "Teach the customer something new about their business, tailor the message, take "
        "control of the conversation. Powerful in skilled hands, off-putting in others.",
        0.02,
        -0.04,
        -0.02,
        -0.03,
    ),
    TechniqueSpec(
        "Transactional selling",
        "Fast, low-touch, price-led selling for simple purchases: clear offer, quick close, "
        "little discovery. Works for small consumer buys, less so for complex ones.",
        -0.04,
        0.05,
        0.05,
        -0.06,
    ),
    TechniqueSpec(
        "Relationship selling",
        "Invest in the long-term relationship: regular contact, remembering details, helping "
        "beyond the current deal. Builds loyalty and referrals.",
        0.03,
        0.03,
        0.0,
        0.1,
    ),
    TechniqueSpec(
        "Social selling",
        "Find and warm up buyers through professional networks, content and introductions "
        "before the first call.",
        0.01,
        0.02,
        0.0,
        0.0,
    ),
]

SURVEY_COMMENTS = {
    "good": [
        "Great service, very attentive.", "Exactly what we needed.",
        "Our rep followed up after the sale, much appreciated.", "Muy buena atención, gracias.",
        "Fast and professional.", "Would recommend to colleagues.", "Todo perfecto.",
    ],
    "neutral": [
        "Fine overall.", "Delivery took a bit long.", "Correcto, sin más.",
        "Good product, the paperwork was slow.", "",
    ],
    "bad": [
        "Nobody called back after the sale.", "We were pushed into a bigger package.",
        "Promises in the sale were not kept.", "No nos han vuelto a llamar.",
        "Billing errors and slow answers.", "Felt like just a number.",
    ],
}  # fmt: skip
COMPLAINT_TEXTS = {
    "product": "The product does not work as described.",
    "service": "Support took days to answer.",
    "billing": "We were invoiced twice for the same order.",
    "delivery": "The order arrived late and incomplete.",
    "sales_conduct": "The seller promised features that do not exist.",
    "other": "General dissatisfaction with the purchase.",
}
RESOLUTION_TEXTS = [
    "Called the customer and fixed it.", "Issued a credit note.", "Replaced the item.",
    "Escalated to support; solved.", "Apologised and agreed a discount on renewal.",
]  # fmt: skip
ACTIVITY_NOTES = {
    "call": ["Discovery call.", "Follow-up call.", "Pricing questions.", ""],
    "meeting": ["Demo meeting.", "Requirements workshop.", "Negotiation meeting.", ""],
    "visit": ["On-site visit.", "Visited the store.", ""],
    "email": ["Sent the proposal.", "Sent references.", "Answered questions.", ""],
    "checkin": ["Post-sale check-in: all good.", "Checked the rollout.", "Asked about usage."],
}  # fmt: skip
