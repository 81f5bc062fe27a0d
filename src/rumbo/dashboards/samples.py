"""The "not enough data" words the dashboards show below a rate's minimum. The
minimum, the count and the interval of each rate are declared on the metric
(Metric.sample, see metrics/samples.py); every dashboard surface — figure
cards, trend charts, the figures under them — reads them from there."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rumbo.metrics.registry import get_metric
from rumbo.metrics.samples import Sample

NOT_ENOUGH = _("Not enough data yet")


def sample_of(key: str) -> Sample | None:
    metric = get_metric(key)
    return metric.sample if metric is not None else None
