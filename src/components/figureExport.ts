/**
 * A figure on the page as a standalone SVG file, and that SVG as a PNG. The figure is drawn
 * where it lies on screen: each chart SVG is copied at its place, with every element's
 * computed style written inline (so CSS custom properties and `currentColor` become the
 * theme's colours, and fonts are set); HTML around the charts (Plot's swatch legends, titles,
 * captions, the model legends' colour swatches) becomes SVG text and rectangles at the place
 * it holds. So the file shows the legend as the page does, in the page's theme, on an opaque
 * background, and keeps the SIMULATED watermark of the demo.
 */

/** Presentation properties copied from the computed style onto each SVG element. */
const SVG_PROPS = [
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "opacity",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "font-variant",
  "text-anchor",
  "dominant-baseline",
  "paint-order",
  "visibility",
  "overflow",
  "white-space",
  "color",
];

const SVG_NS = "http://www.w3.org/2000/svg";

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The smallest box holding all the boxes, grown by `pad` on each side (an empty list gives an empty box). */
export function unionBox(boxes: readonly Box[], pad = 0): Box {
  if (!boxes.length) return { left: 0, top: 0, width: 0, height: 0 };
  const left = Math.min(...boxes.map((b) => b.left)) - pad;
  const top = Math.min(...boxes.map((b) => b.top)) - pad;
  const right = Math.max(...boxes.map((b) => b.left + b.width)) + pad;
  const bottom = Math.max(...boxes.map((b) => b.top + b.height)) + pad;
  return { left, top, width: right - left, height: bottom - top };
}

/** Words laid out on screen, joined into lines: a word whose box is at another height starts a new line. */
export function textLines(words: ReadonlyArray<{ text: string; box: Box }>): Array<{ text: string; box: Box }> {
  const lines: Array<{ words: string[]; boxes: Box[] }> = [];
  for (const w of words) {
    const line = lines.at(-1);
    if (line && Math.abs(line.boxes[0]!.top - w.box.top) < Math.max(2, w.box.height / 2)) {
      line.words.push(w.text);
      line.boxes.push(w.box);
    } else lines.push({ words: [w.text], boxes: [w.box] });
  }
  return lines.map((l) => ({ text: l.words.join(" "), box: unionBox(l.boxes) }));
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot" }[c]};`);

const boxOf = (r: DOMRect, origin: Box): Box => ({ left: r.left - origin.left, top: r.top - origin.top, width: r.width, height: r.height });

const visible = (r: DOMRect) => r.width > 0 && r.height > 0;

/** The outermost SVGs under root (or root itself), skipping SVGs drawn inside another. */
function chartSvgs(root: Element): SVGSVGElement[] {
  if (root instanceof SVGSVGElement) return [root];
  return [...root.querySelectorAll("svg")].filter((s) => !s.parentElement?.closest("svg"));
}

/** Properties that do not inherit: written where they differ from their initial value. */
const NOT_INHERITED: Record<string, string> = { opacity: "1", overflow: "visible" };

/** The inline style of one element: the root states every property, the others only what they do not inherit. */
function inlineStyle(style: CSSStyleDeclaration, parent: CSSStyleDeclaration | null): string {
  const own = SVG_PROPS.filter((p) => {
    const value = style.getPropertyValue(p);
    if (!parent) return true;
    return p in NOT_INHERITED ? value !== NOT_INHERITED[p] : value !== parent.getPropertyValue(p);
  });
  return own.map((p) => `${p}:${style.getPropertyValue(p)}`).join(";");
}

/**
 * A copy of an SVG with every element's computed presentation written inline (so nothing is
 * left to a stylesheet, a custom property or currentColor) and the presentation attributes
 * and stylesheets it replaces dropped.
 */
function inlinedCopy(svg: SVGSVGElement): SVGSVGElement {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll("*")];
  const to = [copy, ...copy.querySelectorAll("*")];
  const styles = new Map<Element, CSSStyleDeclaration>();
  from.forEach((el, i) => {
    const style = getComputedStyle(el);
    styles.set(el, style);
    const target = to[i] as SVGElement;
    for (const p of SVG_PROPS) target.removeAttribute(p);
    const css = inlineStyle(style, i === 0 ? null : (styles.get(el.parentElement!) ?? null));
    if (css) target.setAttribute("style", css);
    else target.removeAttribute("style");
  });
  for (const s of copy.querySelectorAll("style")) s.remove();
  return copy;
}

/** One chart SVG, placed at its box in the file. */
function placedSvg(svg: SVGSVGElement, origin: Box): { box: Box; markup: string } | null {
  const rect = svg.getBoundingClientRect();
  if (!visible(rect)) return null;
  const copy = inlinedCopy(svg);
  const box = boxOf(rect, origin);
  if (!copy.hasAttribute("viewBox")) copy.setAttribute("viewBox", `0 0 ${svg.width.baseVal.value || rect.width} ${svg.height.baseVal.value || rect.height}`);
  copy.removeAttribute("class");
  for (const [k, v] of Object.entries({ x: box.left, y: box.top, width: box.width, height: box.height })) copy.setAttribute(k, String(v));
  return { box, markup: new XMLSerializer().serializeToString(copy) };
}

/** HTML text outside the charts, one SVG text per line on screen, in its computed font and colour. */
function htmlText(root: Element, origin: Box): Array<{ box: Box; markup: string }> {
  const out: Array<{ box: Box; markup: string }> = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest("svg") || !node.textContent?.trim()) continue;
    const style = getComputedStyle(parent);
    const font = `font-family="${escapeXml(style.fontFamily)}" font-size="${style.fontSize}" font-weight="${style.fontWeight}" font-style="${style.fontStyle}"`;
    for (const line of textLines(words(node as Text, origin))) {
      const y = line.box.top + line.box.height / 2;
      out.push({
        box: line.box,
        markup: `<text x="${line.box.left}" y="${y}" dominant-baseline="central" fill="${style.color}" ${font}>${escapeXml(line.text)}</text>`,
      });
    }
  }
  return out;
}

/** The words of a text node with their boxes on screen (hidden words left out; a word broken across lines, at a hyphen, in its pieces). */
function words(node: Text, origin: Box): Array<{ text: string; box: Box }> {
  const out: Array<{ text: string; box: Box }> = [];
  const range = document.createRange();
  const at = (start: number, end: number) => {
    range.setStart(node, start);
    range.setEnd(node, end);
    return range;
  };
  for (const m of (node.textContent ?? "").matchAll(/\S+/g)) {
    const whole = at(m.index, m.index + m[0].length);
    if (whole.getClientRects().length <= 1) {
      const rect = whole.getBoundingClientRect();
      if (visible(rect)) out.push({ text: m[0], box: boxOf(rect, origin) });
      continue;
    }
    let offset = m.index;
    const pieces = [...m[0]].map((ch) => {
      const piece = { text: ch, box: boxOf(at(offset, offset + ch.length).getBoundingClientRect(), origin) };
      offset += ch.length;
      return piece;
    });
    for (const line of textLines(pieces.filter((p) => p.box.width > 0))) out.push({ text: line.text.replace(/ /g, ""), box: line.box });
  }
  return out;
}

/** Coloured boxes drawn in HTML without text (a model legend's swatches), as SVG rectangles. */
function htmlSwatches(root: Element, origin: Box): Array<{ box: Box; markup: string }> {
  const out: Array<{ box: Box; markup: string }> = [];
  for (const el of root.querySelectorAll("*")) {
    if (el.closest("svg") || el.textContent?.trim()) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (!visible(rect) || rect.width > 40 || rect.height > 40 || /rgba\(.*, 0\)|transparent/.test(style.backgroundColor)) continue;
    const box = boxOf(rect, origin);
    out.push({
      box,
      markup: `<rect x="${box.left}" y="${box.top}" width="${box.width}" height="${box.height}" rx="${parseFloat(style.borderTopLeftRadius) || 0}" fill="${style.backgroundColor}"/>`,
    });
  }
  return out;
}

/** The page's background colour (the theme's), opaque. */
export function themeBackground(): string {
  for (const el of [document.body, document.documentElement]) {
    const colour = getComputedStyle(el).backgroundColor;
    if (colour && !/rgba\(.*, 0\)|transparent/.test(colour)) return colour;
  }
  return getComputedStyle(document.documentElement).getPropertyValue("--theme-background").trim() || "#ffffff";
}

/** The demo's watermark, as on the page (style.css): "SIMULATED" repeated over the figure. */
function watermark(width: number, height: number): string {
  if (!document.documentElement.dataset.simulated) return "";
  return (
    `<defs><pattern id="mca-simulated" width="220" height="120" patternUnits="userSpaceOnUse">` +
    `<text x="10" y="80" transform="rotate(-20 110 60)" font-family="sans-serif" font-size="26" font-weight="700" fill="#808080" fill-opacity="0.22">SIMULATED</text>` +
    `</pattern></defs><rect class="mca-watermark" width="${width}" height="${height}" fill="url(#mca-simulated)"/>`
  );
}

/** The figure as a standalone SVG document, with its width and height in pixels. */
export function figureSvg(root: Element, title = ""): { svg: string; width: number; height: number } {
  const origin = boxOf(root.getBoundingClientRect(), { left: 0, top: 0, width: 0, height: 0 });
  const parts = [
    ...chartSvgs(root)
      .map((s) => placedSvg(s, origin))
      .filter((p) => p !== null),
    ...htmlSwatches(root, origin),
    ...htmlText(root, origin),
  ];
  const frame = unionBox(
    parts.map((p) => p.box),
    8,
  );
  const width = Math.ceil(frame.width);
  const height = Math.ceil(frame.height);
  const style = getComputedStyle(root);
  const svg =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="${frame.left} ${frame.top} ${width} ${height}" ` +
    `font-family="${escapeXml(style.fontFamily)}" font-size="${style.fontSize}" color="${style.color}">` +
    (title ? `<title>${escapeXml(title)}</title>` : "") +
    `<rect x="${frame.left}" y="${frame.top}" width="${width}" height="${height}" fill="${themeBackground()}"/>` +
    `<g transform="translate(${frame.left} ${frame.top})">${watermark(width, height)}</g>` +
    parts.map((p) => p.markup).join("") +
    `</svg>`;
  return { svg, width, height };
}

/** The SVG drawn on a canvas at `scale` (2: twice the pixels each way) over an opaque background, as a PNG. */
export async function svgToPng(svg: { svg: string; width: number; height: number }, background: string, scale = 2): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg.svg)}`;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(svg.width * scale);
  canvas.height = Math.round(svg.height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("PNG download: this browser gives no 2D canvas; download the SVG instead.");
  context.fillStyle = background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("PNG download: the canvas could not be encoded; download the SVG instead."))),
      "image/png",
    ),
  );
}
