/** Download links whose file is made on click (no WebAssembly or table module needed to show them). */

/**
 * A link that builds its file only when clicked (a slice can be large, and filters
 * change often), then hands it to the browser as a download.
 */
export function lazyLink(text: string, filename: string, make: () => Blob | Promise<Blob>): HTMLAnchorElement {
  const a = document.createElement("a");
  a.href = "#";
  a.textContent = text;
  a.setAttribute("download", filename);
  a.addEventListener("click", async (event) => {
    event.preventDefault();
    const url = URL.createObjectURL(await make());
    const temp = document.createElement("a");
    temp.href = url;
    temp.download = filename;
    document.body.append(temp);
    temp.click();
    temp.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return a;
}
