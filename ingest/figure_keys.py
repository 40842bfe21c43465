"""The vocabulary of prose figures (``figure_key`` in ``landed_prose_figures.csv``).

Every key names one headline quantity a disclosure states in its narrative. A figure's
``qualifier`` says whether the number is the quantity itself ('amount', 'count'), its change on
the prior year ('change', signed; 'change_pct'), its share of a total ('share_pct') or the
prior-year value ('prior_year'). ``subject`` carries the printed name where the key alone is
not enough (the 类 name for ``class_expenditure``). Final accounts also compare a figure with
the year's initial budget ('budget_variance', 'budget_variance_pct').
"""

from __future__ import annotations

FIGURE_KEYS: dict[str, str] = {
    # totals
    "total_income": "收入总计 / 收入预算 年初预算数 (all sources, incl. carry-over)",
    "current_income": "本年收入合计 (final accounts: income of the year without carry-over)",
    "total_expenditure": "支出总计 / 支出预算 年初预算数",
    "current_expenditure": "本年支出合计 (final accounts)",
    "fiscal_appropriation_income": "财政拨款收入",
    "fiscal_appropriation_total": "财政拨款收、支总计",
    "carried_over_income": "上年结转 / 年初结转结余",
    "carry_forward": "年末结转和结余 / 结转下年",
    "general_public_budget_income": "一般公共预算财政拨款收入",
    "general_public_budget_expenditure": "一般公共预算财政拨款支出",
    "government_fund_income": "政府性基金预算(财政拨款)收入",
    "government_fund_expenditure": "政府性基金预算(财政拨款)支出",
    "state_capital_income": "国有资本经营预算(拨款)收入",
    "state_capital_expenditure": "国有资本经营预算(财政拨款)支出",
    "business_income": "事业收入",
    "operating_income": "事业单位经营收入 / 经营收入",
    "other_income": "其他收入",
    # structure
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "personnel_expenditure": "人员经费",
    "public_operating_expenditure": "公用经费 / 日常公用经费",
    "class_expenditure": "expenditure of one 类 named in subject (e.g. 一般公共服务支出)",
    "function_expenditure": (
        "final accounts: expenditure of one function code, subject its printed 类/款/项 path "
        "(一般公共服务支出（类）财政事务（款）行政运行（项）) or name and code (行政运行（2010101）); "
        "qualifier initial_budget / adjusted_budget / amount (决算) / budget_execution_pct"
    ),
    # 三公
    "three_public_total": "“三公”经费 total",
    "three_public_overseas_travel": "因公出国（境）费",
    "three_public_reception": "公务接待费",
    "three_public_vehicle_total": "公务用车购置及运行维护费",
    "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行维护费",
    "overseas_groups": "因公出国（境）团组数",
    "overseas_people": "因公出国（境）人数",
    "vehicles_purchased": "公务用车购置辆数",
    "reception_batches": "公务接待批次",
    "reception_people": "公务接待人次",
    # other important matters
    "operating_funds": "机关运行经费",
    "training_cost": "培训费",
    "meeting_cost": "会议费",
    "procurement_total": "政府采购 总额",
    "procurement_goods": "政府采购货物",
    "procurement_works": "政府采购工程",
    "procurement_services": "政府采购服务",
    "procurement_sme_awarded": "授予中小企业合同金额",
    "procurement_small_micro_awarded": "授予小微企业合同金额",
    "vehicle_count": "车辆 (共有车辆 N 辆)",
    "vehicle_count_general": "一般公务用车 辆数",
    "vehicle_count_enforcement": "执法执勤用车 辆数",
    "vehicles_planned_purchase": "(预算)安排购置车辆",
    "equipment_count": "单价 50/100 万元以上设备 台(套)",
    "performance_managed_funds": "实行绩效目标管理 涉及 … 财政拨款",
    "evaluated_projects": "开展绩效自评的项目数",
    "evaluated_funds": "绩效自评涉及资金",
    "evaluation_score": "绩效自评(平均)得分, in 分",
    "staff_count": "人员编制 / 实有人数",
    "unclassified": "a number with a unit that no rule classified (kept so nothing is lost)",
}

QUALIFIERS: tuple[str, ...] = (
    "amount",
    "count",
    "change",  # on the prior year, signed
    "change_pct",
    "budget_variance",  # final accounts: against the initial budget (较年初预算数), signed
    "budget_variance_pct",
    "initial_budget",  # final accounts: the year's initial budget (年初预算为 …) beside the actual
    "adjusted_budget",  # final accounts: the budget after adjustments (全年预算为 / 调整预算数为 …)
    "budget_execution_pct",  # final accounts: 完成年初预算的 N%
    "adjusted_budget_execution_pct",  # final accounts: 完成全年预算数的 N%
    "share_pct",
    "prior_year",
)
FUND_SOURCES: tuple[str, ...] = ("all", "general_public_budget", "government_fund", "state_capital")
