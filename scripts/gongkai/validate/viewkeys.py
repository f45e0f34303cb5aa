"""What a view (a Vega-Lite chart in datapackage.json) may use: the allow-lists views.py checks against.

One table per kind of name, laid out by meaning (a line per group), so the formatter leaves
them as written. Why each list keeps out what it does is in views.py's docstring.
"""

# fmt: off
EXTERNAL = {"url", "href", "data", "datasets"}  # keys that bring other data, or reach the network
MARKS = {"arc", "area", "bar", "circle", "line", "point", "rect", "rule", "square", "text", "tick"}
TRANSFORMS = [
    "filter", "calculate", "aggregate", "joinaggregate", "window", "fold", "pivot", "sample", "stack", "bin",
    "timeUnit",
]
REFUSED_TRANSFORMS = ["density", "extent", "flatten", "impute", "loess", "lookup", "quantile", "regression"]
CHANNELS = {
    *("x", "y", "x2", "y2", "xOffset", "yOffset", "xError", "yError", "xError2", "yError2"),
    *("theta", "theta2", "radius", "radius2"),
    *("color", "fill", "stroke", "opacity", "fillOpacity", "strokeOpacity", "strokeWidth", "strokeDash", "size"),
    *("angle", "shape"),
    *("text", "tooltip", "detail", "order", "row", "column", "facet"),
}
# with "scale": null or a range from a field, a cell's text is the paint
COLOR_CHANNELS = {"color", "fill", "stroke"}
_TEXT_STYLE = (
    "Font", "FontSize", "FontStyle", "FontWeight", "LineHeight", "Color", "Opacity", "Align", "Baseline", "Angle",
    "Limit", "Padding", "Offset",
)
ALLOWED_KEYS = {
    # the view itself and its composition
    *("$schema", "name", "title", "description", "width", "height", "autosize", "padding", "background", "config"),
    *("mark", "encoding", "transform", "layer", "hconcat", "vconcat", "concat", "facet", "spec", "repeat"),
    *("columns", "resolve", "spacing", "align", "bounds", "center", "view"),
    *("type", "contains", "resize", "left", "right", "top", "bottom", "scale", "axis", "legend"),
    # marks
    *("color", "fill", "stroke", "opacity", "fillOpacity", "strokeOpacity", "strokeWidth", "strokeDash"),
    *("strokeDashOffset"),
    *("strokeCap", "strokeJoin", "strokeMiterLimit", "size", "shape", "filled", "orient", "baseline", "dx", "dy"),
    *("angle", "font", "fontSize", "fontStyle", "fontWeight", "limit", "lineBreak", "lineHeight", "ellipsis"),
    *("text", "tooltip", "content"),
    *("point", "line", "interpolate", "tension", "cornerRadius", "cornerRadiusEnd"),
    *("cornerRadiusTopLeft", "cornerRadiusTopRight", "cornerRadiusBottomLeft", "cornerRadiusBottomRight"),
    *("binSpacing", "continuousBandSize", "discreteBandSize", "minBandSize", "thickness", "innerRadius"),
    *("outerRadius", "padAngle"),
    *("radiusOffset", "radius2Offset", "thetaOffset", "theta2Offset", "clip", "invalid", "aria", "band"),
    *CHANNELS,
    # field definitions
    *("field", "aggregate", "bin", "timeUnit", "sort", "stack", "format", "formatType", "value", "datum"),
    *("condition", "test"),
    *("header", "bandPosition", "order", "op", "encoding"),
    # scales
    *("domain", "domainMin", "domainMax", "domainMid", "range", "rangeMin", "rangeMax", "scheme", "extent"),
    *("count", "zero", "nice"),
    *("paddingInner", "paddingOuter", "reverse", "round", "clamp", "base", "exponent", "constant"),
    # axes, legends, headers and titles
    *("domainColor", "domainDash", "domainOpacity", "domainWidth", "domainCap", "grid", "gridColor", "gridDash"),
    *("gridOpacity"),
    *("gridWidth", "gridCap", "labels", "labelBound", "labelExpr", "labelFlush", "labelFlushOffset"),
    *("labelOverlap", "labelSeparation"),
    *("labelOrient", "maxExtent", "minExtent", "offset", "position", "tickBand", "tickColor", "tickCount"),
    *("tickDash", "tickExtra"),
    *("tickMinStep", "tickOffset", "tickOpacity", "tickRound", "ticks", "tickSize", "tickWidth", "tickCap"),
    *("titleAnchor", "titleX"),
    *("titleY", "translate", "values", "zindex", "direction", "fillColor", "gradientLength", "gradientOpacity"),
    *("gradientThickness"),
    *("gradientStrokeColor", "gradientStrokeWidth", "gridAlign", "legendX", "legendY", "rowPadding"),
    *("columnPadding", "strokeColor"),
    *("symbolDash", "symbolDashOffset", "symbolFillColor", "symbolLimit", "symbolOffset", "symbolOpacity"),
    *("symbolSize"),
    *("symbolStrokeColor", "symbolStrokeWidth", "symbolType", "clipHeight", "titleOrient", "labelAngle"),
    *("subtitle", "frame"),
    *(prefix + part for prefix in ("label", "title", "subtitle") for part in _TEXT_STYLE),
    # transforms
    *TRANSFORMS,
    *("as", "groupby", "ignorePeers", "param", "maxbins", "anchor", "divide", "minstep", "steps", "binned", "unit"),
    *("step", "utc"),
    *("equal", "lt", "lte", "gt", "gte", "oneOf", "valid", "and", "or", "not"),
    # config
    *("axisX", "axisY", "axisBand", "axisDiscrete", "axisPoint", "axisQuantitative", "axisTemporal"),
    *("axisLeft", "axisRight", "axisTop", "axisBottom", *MARKS),
    *("category", "diverging", "heatmap", "ordinal", "ramp", "numberFormat", "timeFormat", "countTitle"),
    *("normalizedNumberFormat"),
    *("continuousWidth", "continuousHeight", "discreteWidth", "discreteHeight"),
}
SIZE_KEYS = {"width", "height", "step", "continuousWidth", "continuousHeight", "discreteWidth", "discreteHeight"}
COUNT_KEYS = {"tickCount", "maxbins", "nice", "symbolLimit", "count"}
BIN_KEYS = {"maxbins", "nice", "extent", "anchor", "base", "divide", "minstep", "steps", "binned"}
EXPRESSION_KEYS = {"calculate", "filter", "test", "labelExpr"}
# Vega expression functions that compute a value from a row and its fields
FUNCTIONS = {
    *("if", "isArray", "isBoolean", "isDate", "isDefined", "isNumber", "isObject", "isString", "isValid", "isNaN"),
    *("isFinite"),
    *("toBoolean", "toDate", "toNumber", "toString", "parseInt", "parseFloat"),
    *("abs", "acos", "asin", "atan", "atan2", "ceil", "clamp", "cos", "exp", "floor", "hypot", "log", "max", "min"),
    *("pow", "round"),
    *("sin", "sqrt", "tan", "inrange"),
    *("datetime", "date", "day", "dayofyear", "year", "quarter", "month", "week", "hours", "minutes", "seconds"),
    *("milliseconds"),
    *("time", "timezoneoffset", "utc", "utcdate", "utcday", "utcdayofyear", "utcyear", "utcquarter", "utcmonth"),
    *("utcweek"),
    *("utchours", "utcminutes", "utcseconds", "utcmilliseconds"),
    *("indexof", "lastindexof", "length", "lower", "upper", "substring", "slice", "trim", "truncate", "replace"),
    *("split", "join"),
    *("format", "timeFormat", "timeParse", "utcFormat", "utcParse", "monthFormat", "monthAbbrevFormat"),
    *("dayFormat", "dayAbbrevFormat"),
}
# fmt: on
