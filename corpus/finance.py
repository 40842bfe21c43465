"""The figures of one unit's year, consistent by construction.

All amounts are integers in 元 (``granularity`` 100 when every table is printed in 万元 with
two decimals, 1 when tables print whole 元). Items sum to 款, 款 to 类, 类 to 合计; basic +
project = total; 人员经费 + 公用经费 = basic; 三公 items sum to the 三公 total.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from corpus.reference import Code, Reference

# 项 whose names say they are running costs (basic expenditure) rather than projects
_BASIC_WORDS = ("行政运行", "事业运行", "养老", "医疗", "住房公积金", "离退休", "年金")
_PROJECT_ONLY_WORDS = ("专项", "建设", "发展", "事务管理", "审批", "贴息", "补助", "安置")


@dataclass(frozen=True)
class FunctionItem:
    code: Code  # a 项
    basic: int
    project_gpb: int  # project expenditure from the general public budget
    project_other: int  # project expenditure from other income (事业收入 …)
    reserve: int = 0  # 单位预留机动经费 (three-way split of budgets), general public budget

    @property
    def gpb(self) -> int:
        return self.basic + self.project_gpb + self.reserve

    @property
    def total(self) -> int:
        return self.basic + self.project_gpb + self.project_other + self.reserve


@dataclass(frozen=True)
class EconomicItem:
    code: Code
    amount: int


@dataclass
class Finances:
    granularity: int
    items: list[FunctionItem]  # in code order
    names: dict[str, str]  # code → printed name for 类 / 款 / 项
    personnel: list[EconomicItem]  # 301 款 then 303 款
    operating: list[EconomicItem]  # 302 款
    three_public: dict[str, int]  # overseas, vehicle_purchase, vehicle_operation, reception
    procurement: dict[str, int]  # goods, works, services
    vehicles: int
    prior: dict[str, int] = field(default_factory=dict)  # prior-year headline figures
    prior_items: dict[str, int] = field(default_factory=dict)  # prior-year totals per code
    _sums: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    # -- derived ---------------------------------------------------------------------------
    def codes(self) -> list[str]:
        """Every 类, 款 and 项 code in printing order."""
        out: list[str] = []
        for item in self.items:
            code = item.code.code
            for prefix in (code[:3], code[:5], code):
                if prefix not in out:
                    out.append(prefix)
        return out

    def rollup(self, code: str, measure: str, fund: str) -> int:
        """Sum of the items under ``code``; measure total|basic|project|reserve, fund gpb|all."""
        if not self._sums:
            self._sum_all()
        return self._sums.get((code, measure, fund), 0)

    def _sum_all(self) -> None:
        """Every prefix's sums in one pass (the tables ask for each many times)."""
        sums = self._sums
        for item in self.items:
            code = item.code.code
            values = (
                ("basic", "gpb", item.basic), ("basic", "all", item.basic),
                ("project", "gpb", item.project_gpb),
                ("project", "all", item.project_gpb + item.project_other),
                ("reserve", "gpb", item.reserve), ("reserve", "all", item.reserve),
                ("total", "gpb", item.gpb), ("total", "all", item.total),
            )
            for prefix in {code[:1], code[:3], code[:5], code}:
                for measure, fund, value in values:
                    key = (prefix, measure, fund)
                    sums[key] = sums.get(key, 0) + value

    def grand(self, measure: str, fund: str) -> int:
        return sum(self.rollup(c, measure, fund) for c in {i.code.code[:3] for i in self.items})

    @property
    def basic_total(self) -> int:
        return sum(i.basic for i in self.items)

    @property
    def personnel_total(self) -> int:
        return sum(e.amount for e in self.personnel)

    @property
    def operating_total(self) -> int:
        return sum(e.amount for e in self.operating)

    @property
    def other_income(self) -> int:
        return sum(i.project_other for i in self.items)

    def economic_rows(self) -> list[tuple[str, str, int]]:
        """(code, name, amount) for 类 and 款 rows of the basic-expenditure table."""
        rows: list[tuple[str, str, int]] = []
        groups: dict[str, list[EconomicItem]] = {}
        for item in [*self.personnel, *self.operating]:
            groups.setdefault(item.code.code[:3], []).append(item)
        for klass in sorted(groups):
            members = sorted(groups[klass], key=lambda e: e.code.code)
            rows.append((klass, self.names[klass], sum(e.amount for e in members)))
            rows.extend((e.code.code, e.code.name, e.amount) for e in members)
        return rows


def _split(rng: random.Random, total: int, parts: int, unit: int) -> list[int]:
    """``total`` (a multiple of ``unit``) split into ``parts`` positive multiples of ``unit``."""
    units = total // unit
    parts = max(1, min(parts, units))
    weights = [rng.random() + 0.15 for _ in range(parts)]
    scale = sum(weights)
    out = [max(1, int(units * w / scale)) for w in weights]
    out[-1] += units - sum(out)
    while out[-1] < 1:  # rounding pushed the remainder negative: take from the largest
        biggest = max(range(parts - 1), key=lambda i: out[i])
        out[biggest] -= 1
        out[-1] += 1
    return [u * unit for u in out]


def _amount(rng: random.Random, low: float, high: float, unit: int) -> int:
    """A log-uniform amount in 万元 between low and high, as 元 in multiples of ``unit``."""
    wan = low * (high / low) ** rng.random()
    return max(unit, int(wan * 10000) // unit * unit)


def generate(rng: random.Random, ref: Reference, granularity: int, other_funds: bool,
             reserve: bool = False) -> Finances:
    # classes: personnel-related ones nearly always, plus 1-3 others
    by_class: dict[str, list] = {}
    for branch in ref.branches:
        by_class.setdefault(branch.klass.code, []).append(branch)
    classes = ["201"] if "201" in by_class else []
    classes += [c for c in ("208", "210", "221") if c in by_class and rng.random() < 0.85]
    others = [c for c in by_class if c not in classes]
    classes += rng.sample(others, k=min(len(others), rng.choice((0, 1, 1, 2, 3))))
    names: dict[str, str] = {}
    items: list[FunctionItem] = []
    scale = rng.choice((1.0, 1.0, 3.0, 10.0, 40.0))  # small units and large ones
    for klass in sorted(classes):
        branches = by_class[klass]
        chosen = rng.sample(branches, k=min(len(branches), rng.choice((1, 1, 2))))
        for branch in sorted(chosen, key=lambda b: b.kuan.code):
            names[branch.klass.code] = branch.klass.name
            names[branch.kuan.code] = branch.kuan.name
            count = min(len(branch.items), rng.choice((1, 2, 2, 3, 4)))
            for code in sorted(rng.sample(branch.items, k=count), key=lambda c: c.code):
                names[code.code] = code.name
                if any(w in code.name for w in _BASIC_WORDS):
                    basic, project = _amount(rng, 2 * scale, 400 * scale, granularity), 0
                elif any(w in code.name for w in _PROJECT_ONLY_WORDS) or rng.random() < 0.5:
                    basic, project = 0, _amount(rng, 1 * scale, 300 * scale, granularity)
                else:
                    basic = _amount(rng, 2 * scale, 300 * scale, granularity)
                    project = _amount(rng, 1 * scale, 100 * scale, granularity)
                other = 0
                if other_funds and project and rng.random() < 0.6:
                    other = _amount(rng, 0.5 * scale, 50 * scale, granularity)
                items.append(FunctionItem(code, basic, project, other))
    if not any(i.basic for i in items):  # every unit has running costs
        first = items[0]
        items[0] = FunctionItem(first.code, _amount(rng, 5, 200, granularity),
                                first.project_gpb, first.project_other, first.reserve)
    if reserve:  # 单位预留机动经费: a few per cent of the budget, on the first 项
        first = items[0]
        amount = max(granularity, sum(i.total for i in items) * rng.randint(1, 5) // 100
                     // granularity * granularity)
        items[0] = FunctionItem(first.code, first.basic, first.project_gpb, first.project_other,
                                amount)
    basic = sum(i.basic for i in items)
    # economic view of the basic expenditure: 人员经费 (301 + 303) and 公用经费 (302)
    operating = max(granularity, basic * rng.randint(8, 30) // 100 // granularity * granularity)
    personnel_total = basic - operating
    personal_303 = 0
    if rng.random() < 0.5 and personnel_total > 20 * granularity:
        personal_303 = max(granularity,
                           personnel_total * rng.randint(1, 8) // 100 // granularity * granularity)
    e301 = list(ref.economic["301"])
    e302 = list(ref.economic["302"])
    e303 = list(ref.economic["303"])
    names["301"] = ref.economic_names.get("301", "工资福利支出")
    names["302"] = ref.economic_names.get("302", "商品和服务支出")
    names["303"] = ref.economic_names.get("303", "对个人和家庭的补助")
    p_codes = sorted(rng.sample(e301, k=min(len(e301), rng.randint(3, 9))), key=lambda c: c.code)
    personnel = [
        EconomicItem(c, a)
        for c, a in zip(p_codes, _split(rng, personnel_total - personal_303, len(p_codes),
                                        granularity), strict=False)
    ]
    if personal_303:
        codes_303 = sorted(rng.sample(e303, k=rng.randint(1, 2)), key=lambda c: c.code)
        personnel += [
            EconomicItem(c, a)
            for c, a in zip(codes_303, _split(rng, personal_303, len(codes_303), granularity),
                            strict=False)
        ]
    # 三公: reception and vehicle operation come out of 302 (30217, 30231)
    reception = rng.choice((0, 1, 1, 1)) * min(operating // 10, _amount(rng, 0.2, 8, granularity))
    vehicle = rng.choice((0, 1, 1)) * min(operating // 5, _amount(rng, 1, 30, granularity))
    reception -= reception % granularity
    vehicle -= vehicle % granularity
    three_public = {"overseas": 0, "vehicle_purchase": 0, "vehicle_operation": vehicle,
                    "reception": reception}
    fixed = {"30217": reception, "30231": vehicle}
    rest = operating - reception - vehicle
    free = [c for c in e302 if c.code not in fixed]
    o_codes = sorted(rng.sample(free, k=min(len(free), rng.randint(3, 10))), key=lambda c: c.code)
    amounts = dict(zip((c.code for c in o_codes), _split(rng, rest, len(o_codes), granularity),
                       strict=False))
    operating_items = [EconomicItem(c, amounts[c.code]) for c in o_codes]
    operating_items += [
        EconomicItem(next(c for c in e302 if c.code == code), amount)
        for code, amount in fixed.items() if amount
    ]
    operating_items.sort(key=lambda e: e.code.code)
    procurement = {"goods": 0, "works": 0, "services": 0}
    if rng.random() < 0.6:
        procurement["goods"] = _amount(rng, 0.5, 50 * scale, granularity)
        procurement["services"] = rng.choice((0, 1)) * _amount(rng, 0.5, 80 * scale, granularity)
    finances = Finances(
        granularity=granularity,
        items=items,
        names=names,
        personnel=personnel,
        operating=operating_items,
        three_public=three_public,
        procurement=procurement,
        vehicles=rng.choice((0, 0, 1, 2, 3, 6)) if vehicle else 0,
    )
    # prior-year figures for the 比上年 clauses and prior-year columns
    for key, value in (
        ("total", finances.grand("total", "all")),
        ("gpb", finances.grand("total", "gpb")),
        ("basic", basic),
        ("project", finances.grand("project", "gpb")),
        ("three_public", sum(three_public.values())),
        ("operating", operating),
    ):
        finances.prior[key] = max(0, value + rng.randint(-value // 5 - 1, value // 5 + 1)
                                  // granularity * granularity)
    for item in items:  # prior-year 项 totals, rolled up so the prior column sums too
        value = item.gpb
        finances.prior_items[item.code.code] = max(
            0, (value * rng.randint(80, 120) // 100) // granularity * granularity
        )
    for item in items:
        code = item.code.code
        for prefix in (code[:3], code[:5]):
            finances.prior_items[prefix] = finances.prior_items.get(prefix, 0) + \
                finances.prior_items[code]
    return finances
