"""The narrative of a disclosure (sections 一…六) with its headline figures in 万元.

Returns the lines and the truth of every headline figure the marts read
(``fct_budget_summary`` columns) and of the 类 figures of the budget's 支出预算 paragraph.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from corpus.finance import Finances
from corpus.printing import Printer
from corpus.units import Unit


@dataclass
class Narrative:
    lines: list[str]
    truth: list[tuple[str, Decimal, str]]  # (summary column, amount, printed)
    classes: list[tuple[str, Decimal, str]] = field(default_factory=list)  # 类 figures


def _change(rng: random.Random, printer: Printer, now: int, before: int, year: int,
            budget: bool) -> str:
    diff = now - before
    base = f"{year - 1} 年" if rng.random() < 0.5 else "上年"
    base = (f"比 {year - 1} 年" if rng.random() < 0.5 else "比上年") if budget else "较上年决算数"
    if diff == 0:
        return "与上年持平"
    text, _ = printer.prose(abs(diff))
    return f"{base}{'增加' if diff > 0 else '减少'} {text} 万元"


def _procurement_sentence(printer: Printer, fin: Finances, budget: bool,
                          scope_word: str) -> tuple[str, list[tuple[str, Decimal, str]]]:
    goods, works, services = (fin.procurement[k] for k in ("goods", "works", "services"))
    total = goods + works + services
    word = "预算" if budget else "支出"
    if total == 0:
        if budget:
            return "2、政府采购情况。所属各预算单位政府采购预算总额0元。", [
                ("procurement_total_wan", Decimal(0), "0元")]
        return f"（四）政府采购支出情况说明。本{scope_word}政府采购支出总额 0 万元。", [
            ("procurement_total_wan", Decimal(0), "0 万元")]
    t_text, t_value = printer.prose(total)
    g, _ = printer.prose(goods)
    w, _ = printer.prose(works)
    s, _ = printer.prose(services)
    if budget:
        sentence = (f"2、政府采购情况。所属各预算单位政府采购预算总额 {t_text} 万元：政府采购货物"
                    f"预算 {g} 万元、政府采购工程预算 {w} 万元、政府采购服务预算 {s} 万元。")
    else:
        sentence = (f"（四）政府采购支出情况说明。本{scope_word}政府采购{word}总额 {t_text} 万元，"
                    f"其中：政府采购货物支出 {g} 万元、政府采购工程支出 {w} 万元、政府采购服务"
                    f"支出 {s} 万元。")
    return sentence, [("procurement_total_wan", t_value, f"{t_text} 万元")]


def narrative(rng: random.Random, fin: Finances, printer: Printer, unit: Unit, year: int,
              variants: dict[str, str], faults: tuple[str, ...]) -> Narrative:
    budget = variants["kind"] == "budget"
    scope = "单位" if variants["scope_word"] == "单位" else "部门"
    own = f"本{scope}"
    truth: list[tuple[str, Decimal, str]] = []
    total = fin.grand("total", "all")
    gpb = fin.grand("total", "gpb")
    basic = fin.basic_total
    project_gpb = fin.grand("project", "gpb")
    tp = fin.three_public
    tp_total = sum(tp.values())
    class_figures: list[tuple[str, Decimal, str]] = []

    def say(column: str | None, yuan: int) -> str:
        text, value = printer.prose(yuan)
        if column:
            truth.append((column, value, f"{text} 万元"))
        return text

    lines = [f"一、{scope}基本情况", "",
             "（一）职能职责", "",
             f"1.贯彻执行国家和上级有关方针政策，负责{unit.division_name}相关工作的组织实施。", "",
             "2.承担本级交办的其他任务。", "",
             "（二）机构设置", "",
             f"{unit.name}内设{rng.randint(2, 9)}个科室，{own}为一级预算单位。", ""]
    classes = [c for c in fin.codes() if len(c) == 3]
    if budget:
        lines += [f"二、{scope}收支总体情况", ""]
        income = (f"（一）收入预算：{year} 年年初预算数 {say('total_income_wan', total)} 万元，其中："
                  f"一般公共预算拨款 {say(None, gpb)} 万元，政府性基金预算拨款 0 万元，国有资本经营"
                  f"预算收入 0 万元，事业收入 {say(None, fin.other_income)} 万元，事业单位经营收入 0 "
                  f"万元，其他收入 0 万元。收入{_change(rng, printer, total, fin.prior['total'], year, True)}"
                  f"，主要是一般公共预算拨款变动。")
        lines += [income, ""]
        for c in classes:
            text, value = printer.prose(fin.rollup(c, "total", "all"))
            class_figures.append((c, value, f"{text} 万元"))
        parts = "，".join(f"{fin.names[c]}预算 {p}" for c, _, p in class_figures)
        spend = (f"（二）支出预算：{year} 年年初预算数 {say('total_expenditure_wan', total)} 万元，"
                 f"其中：{parts}。")
        if "social_insurance_zero" in faults:
            spend = spend[:-1] + "，社会保险基金支出预算 0.00 万元。"
        lines += [spend, ""]
        lines += [f"三、{scope}预算情况说明", ""]
        reserve = fin.rollup("2", "reserve", "gpb")
        reserve_clause = f"；单位预留机动经费 {say(None, reserve)} 万元" if reserve else ""
        gpb_text = say("general_public_budget_wan", gpb)
        lines += [
            f"{year} 年一般公共预算财政拨款收入 {gpb_text} 万元，一般公共预算财政拨款支出 "
            f"{gpb_text} 万元，{_change(rng, printer, gpb, fin.prior['gpb'], year, True)}。其中："
            f"基本支出 {say('basic_expenditure_wan', basic)} 万元，"
            f"{_change(rng, printer, basic, fin.prior['basic'], year, True)}，主要原因是人员变动"
            f"以及正常薪资调整；项目支出 {say('project_expenditure_wan', project_gpb)} 万元，"
            f"{_change(rng, printer, project_gpb, fin.prior['project'], year, True)}，主要原因是"
            f"部分项目金额调整{reserve_clause}。", "",
            f"{year} 年政府性基金预算收入 0 万元，政府性基金预算支出 "
            f"{say('government_fund_wan', 0)} 万元。", "",
            "四、“三公”经费情况说明", "",
            f"{year} 年“三公”经费预算 {say('three_public_total_wan', tp_total)} 万元，"
            f"{_change(rng, printer, tp_total, fin.prior['three_public'], year, True)}。其中："
            f"因公出国（境）费用 {say(None, tp['overseas'])} 万元，与上年持平；公务接待费 "
            f"{say(None, tp['reception'])} 万元；公务用车运行维护费 "
            f"{say(None, tp['vehicle_operation'])} 万元；公务用车购置费 "
            f"{say(None, tp['vehicle_purchase'])} 万元。", "",
            "五、其他重要事项的情况说明", "",
            f"1、机关运行经费。{year} 年一般公共预算财政拨款运行经费 "
            f"{say('operating_funds_wan', fin.operating_total)} 万元，"
            f"{_change(rng, printer, fin.operating_total, fin.prior['operating'], year, True)}。"
            f"主要用于办公费、印刷费、邮电费、水电费、差旅费等。", "",
        ]
        sentence, items = _procurement_sentence(printer, fin, True, scope)
        truth += items
        lines += [sentence, "",
                  f"3、绩效目标设置情况。{year} 年项目支出均实行了绩效目标管理。", "",
                  f"4、国有资产占有使用情况。截至 {year - 1} 年 12 月，所属各预算单位共有车辆 "
                  f"{fin.vehicles} 辆。", ""]
    else:
        t = say("total_income_wan", total)
        say("total_expenditure_wan", total)
        lines += [f"二、{scope}决算情况说明", "",
                  "（一）收入支出决算总体情况说明", "",
                  f"1.总体情况。{year}年度收入总计{t}万元，支出总计{t}万元。收支"
                  f"{_change(rng, printer, total, fin.prior['total'], year, False)}。", "",
                  f"2.收入情况。{year}年度收入合计{t}万元，其中财政拨款收入{say(None, gpb)}万元。",
                  "",
                  f"3.支出情况。{year}年度支出合计{t}万元，其中基本支出{say(None, basic)}万元，"
                  f"项目支出{say('project_expenditure_wan', fin.grand('project', 'all'))}万元。",
                  "",
                  f"4.结转结余情况。{year}年度年末结转和结余0.00万元。", "",
                  "（二）一般公共预算财政拨款支出决算情况说明", ""]
        g = say("general_public_budget_wan", gpb)
        truth.append(("government_fund_wan", Decimal(0), "无政府性基金预算财政拨款收支"))
        lines += [f"1.收入情况。{year} 年度一般公共预算财政拨款收入 {g} 万元，"
                  f"{_change(rng, printer, gpb, fin.prior['gpb'], year, False)}。", "",
                  f"2.支出情况。{year} 年度一般公共预算财政拨款支出 {g} 万元。", ""]
        lines += ["（三）一般公共预算财政拨款基本支出决算情况说明", "",
                  f"{year} 年度一般公共预算财政拨款基本支出 {say('basic_expenditure_wan', basic)} "
                  f"万元。其中：人员经费 {say('personnel_expenditure_wan', fin.personnel_total)} "
                  f"万元，主要包括基本工资、津贴补贴等；公用经费 "
                  f"{say('public_operating_expenditure_wan', fin.operating_total)} 万元，主要包括"
                  f"办公费、邮电费等。", "",
                  "（四）政府性基金预算收支决算情况说明", "",
                  f"{own}{year}年度无政府性基金预算财政拨款收支。", "",  # printed: none, 0
                  "三、“三公”经费情况说明", "",
                  f"（一）“三公”经费支出情况。{year} 年度“三公”经费支出共计 "
                  f"{say('three_public_total_wan', tp_total)} 万元。", "",
                  "四、其他需要说明的事项", "",
                  f"（一）机关运行经费情况说明。{year} 年度{own}机关运行经费支出 "
                  f"{say('operating_funds_wan', fin.operating_total)} 万元。", ""]
        sentence, items = _procurement_sentence(printer, fin, False, scope)
        truth += items
        lines += [sentence, ""]
    if "figure_twice" in faults:
        other = tp_total + fin.granularity * rng.randint(1, 50)
        text, value = printer.prose(other)
        lines += [f"另：{year} 年“三公”经费{'预算' if budget else '支出'}共计 {text} 万元。", ""]
        truth.append(("three_public_total_wan", value, f"{text} 万元"))
    lines += ["六、专业性名词解释", "",
              "（一）基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。", "",
              "（二）项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。", "",
              f"{'预算' if budget else '决算'}公开联系人：王{rng.choice('一二三明华')} 联系方式："
              f"023-{rng.randint(40000000, 89999999)}", ""]
    return Narrative(lines, truth, class_figures)
