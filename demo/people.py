"""Plausible Chinese names made up from common surnames and given-name characters; any match
with a real person is chance."""

import random

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文利辉鹏飞波斌宇浩凯晨琳雪梅丹颖慧俊峰海燕春林宏德"
)


def names(count: int, seed: str) -> list[str]:
    """`count` distinct names, the same ones for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    result, seen = [], set()
    while len(result) < count:
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        name = rng.choice(SURNAMES) + given
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result
