"""长者模式 measured in Chromium (the MIIT 适老化 rules): every visible text at least 20 px, headings
larger than the body text, line height at least 1.5, targets at least 48 px high (links inside a
sentence excepted, as WCAG 2.5.8 does), and no sideways scrolling on a 375 px phone."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)

MEASURE = """() => {
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 1 && box.height > 1 && style.visibility !== "hidden" && style.display !== "none"
      && !element.closest(".visually-hidden, .skip-link:not(:focus), .trap, [aria-hidden=true]");
  };
  const name = (element, text) => `${element.tagName.toLowerCase()}.${element.className} “${text.slice(0, 20)}”`;
  const small = [], tight = [], low = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.trim();
    const element = walker.currentNode.parentElement;
    if (!text || seen.has(element) || !visible(element) || element.closest("script, style, noscript")) continue;
    seen.add(element);
    const style = getComputedStyle(element);
    const size = parseFloat(style.fontSize);
    if (size < 20) small.push(`${name(element, text)} ${size}px`);
    const line = style.lineHeight === "normal" ? size * 1.2 : parseFloat(style.lineHeight);
    if (line / size < 1.5) tight.push(`${name(element, text)} ${(line / size).toFixed(2)}`);
  }
  const inSentence = (link) => {
    const block = link.parentElement.closest("p, li, dd, td, figcaption, span");
    return block && block.textContent.trim().length > link.textContent.trim().length + 1
      && getComputedStyle(link).display === "inline";
  };
  const targets = "a[href], button, input:not([type=hidden]), select, textarea, summary";
  for (const target of document.querySelectorAll(targets)) {
    if (!visible(target) || (target.tagName === "A" && inSentence(target))) continue;
    if (target.type === "checkbox" || target.type === "radio") continue;  // their label is the target
    const height = target.getBoundingClientRect().height;
    const label = (target.textContent || target.name || "").trim();
    if (height < 47.5) low.push(`${name(target, label)} in ${target.parentElement.className} ${height.toFixed(0)}px`);
  }
  const prose = document.querySelector("main p, main li, main dd") || document.body;
  const body = parseFloat(getComputedStyle(prose).fontSize);
  const headings = [...document.querySelectorAll("main h1, main h2")].filter(visible)
    .map((h) => parseFloat(getComputedStyle(h).fontSize)).filter((size) => size <= body);
  return {small, tight, low, flatHeadings: headings.length, width: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_elder_mode_sizes_on_five_pages(live_server, browser, width):
    from bases.models import EducationBase
    from publications.models import Publication

    call_command("load_demo", stdout=io.StringIO())
    base = EducationBase.objects.get(slug="xing-yuan-lian-jie-jiao-yu-ji-di")
    article = Publication.objects.filter(kind="news", is_published=True).first()
    pages = ["/", base.get_absolute_url(), "/publications/", article.get_absolute_url(), "/campaigns/"]
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    page = context.new_page()
    found = {}
    for path in pages:
        page.goto(live_server.url + path)
        measured = page.evaluate(MEASURE)
        problems = {key: value for key, value in measured.items() if key != "width" and value}
        if measured["width"] > width:
            problems["sideways scroll"] = measured["width"]
        if problems:
            found[path] = problems
    context.close()
    assert found == {}
