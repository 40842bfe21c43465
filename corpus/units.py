"""Budget units at county, city and province level, named as their disclosures name them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from corpus.reference import MUNICIPALITIES, Reference

_COUNTY_ORGS = (
    "财政局", "教育委员会", "人力资源和社会保障局", "卫生健康委员会", "政务信息中心",
    "人民政府办公室", "档案馆", "机关事务管理中心", "城市管理局", "统计局", "农业农村委员会",
    "退役军人事务局", "市场监督管理局", "应急管理局", "医疗保障局", "司法局", "审计局",
    "民政局", "生态环境局", "住房和城乡建设委员会", "公共资源交易中心", "融媒体中心",
    "大数据应用发展管理局", "交通运输委员会", "水利局", "规划和自然资源局", "科学技术局",
    "商务委员会", "发展和改革委员会", "林业局", "体育局", "信访办公室", "妇女联合会",
)
_STREET_WORDS = ("城南", "城北", "新华", "东城", "西城", "南山", "龙山", "桂花", "青龙", "白沙",
                 "凤凰", "双河", "石桥", "高峰", "永兴")
_CITY_ORGS = (
    "财政局", "教育局", "统计局", "档案馆", "人民政府办公室", "机关事务管理局",
    "住房公积金管理中心", "市场监督管理局", "应急管理局", "医疗保障局", "审计局", "民政局",
    "司法局", "地方志办公室", "公共资源交易中心", "体育局", "文化广电旅游局",
)
_PROVINCE_ORGS = (
    "财政厅", "教育厅", "统计局", "档案馆", "民政厅", "审计厅", "司法厅", "自然资源厅",
    "生态环境厅", "住房和城乡建设厅", "交通运输厅", "水利厅", "农业农村厅", "商务厅",
    "文化和旅游厅", "卫生健康委员会", "退役军人事务厅", "应急管理厅", "地方金融监督管理局",
)


@dataclass(frozen=True)
class Unit:
    name: str  # full name as printed in the title
    division_code: str  # 6 digits
    division_name: str
    division_level: str  # county | city | province
    level_word: str  # 区级 / 县级 / 市级 / 省级, for titles that print it
    is_street: bool


def draw_unit(rng: random.Random, ref: Reference, level: str) -> Unit:
    county = rng.choice(ref.counties)
    for _ in range(50):  # a city-level unit needs a county of a real prefecture-level city
        if level != "city" or (county.province_name not in MUNICIPALITIES and county.city_name
                               not in ("省直辖县级行政区划", "自治区直辖县级行政区划", "市辖区", "县")):
            break
        county = rng.choice(ref.counties)
    province = county.province_name
    municipality = province in MUNICIPALITIES
    if level == "county":
        street = rng.random() < 0.1
        if street:
            word = rng.choice(_STREET_WORDS)
            org = f"{word}街道办事处" if rng.random() < 0.6 else f"{word}镇人民政府"
        else:
            org = rng.choice(_COUNTY_ORGS)
        # 市中区, 鼓楼区 … recur within a province: such a name needs its city
        unique = (province, county.name) not in ref.repeated_names
        if municipality or (unique and rng.random() < 0.5):
            prefix = f"{province}{county.name}"
        else:
            prefix = f"{province}{county.city_name}{county.name}"
        if not municipality and county.city_name in ("省直辖县级行政区划", "自治区直辖县级行政区划"):
            prefix = f"{province}{county.name}"
        level_word = "区级" if county.name.endswith("区") else "县级"
        return Unit(prefix + org, county.code, county.name, "county", level_word, street)
    if level == "city" and not municipality and county.city_name not in (
        "省直辖县级行政区划", "自治区直辖县级行政区划", "市辖区", "县"
    ):
        prefix = county.city_name if rng.random() < 0.5 else province + county.city_name
        return Unit(prefix + rng.choice(_CITY_ORGS), county.city_code, county.city_name,
                    "city", "市级", False)
    # province level (and a municipality's own departments: 上海市财政局 is province level)
    orgs = _CITY_ORGS if municipality else _PROVINCE_ORGS
    return Unit(province + rng.choice(orgs), county.province_code, province, "province",
                "市级" if municipality else "省级", False)
