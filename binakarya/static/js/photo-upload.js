// Product photo forms (form[data-photo-upload]): shrink large photos in the browser, then send the form with
// a progress bar. Without JavaScript the same forms post normally; the server re-encodes every photo anyway.
//
// Each file input with data-shrink="1600" has its photos redrawn on a canvas, longest side at most that many
// pixels, as JPEG: a 2 MB phone photo becomes about 300 KB, and the canvas carries no metadata. A photo the
// browser cannot read is sent as it is, and the server explains what is wrong with it.
// The answer replaces the element named by data-swap (and any element marked hx-swap-oob); an HX-Redirect
// header sends the browser to the saved product.
(() => {
  "use strict";

  const JPEG_QUALITY = 0.85;
  // Below this size a photo that is small enough in pixels is sent untouched.
  const SMALL_BYTES = 1024 * 1024;

  async function shrink(file, longest) {
    if (!file.type.startsWith("image/") || typeof createImageBitmap !== "function") {
      return { file, width: 0, height: 0 };
    }
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      return { file, width: 0, height: 0 };
    }
    const scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    if (scale === 1 && file.size <= SMALL_BYTES) {
      bitmap.close();
      return { file, width, height };
    }
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // transparent PNG areas become white, as on the server
    context.fillRect(0, 0, width, height);
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    if (!blob || (scale === 1 && blob.size >= file.size)) {
      return { file, width, height };
    }
    const name = `${file.name.replace(/\.[^.]*$/, "") || "foto"}.jpg`;
    return { file: new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }), width, height };
  }

  function setStatus(form, text, percent) {
    const box = form.querySelector(".upload-status");
    if (!box) return;
    box.hidden = false;
    box.querySelector("[role=status]").textContent = text;
    const bar = box.querySelector("progress");
    if (percent === null) bar.removeAttribute("value");
    else bar.value = percent;
  }

  function hideStatus(form) {
    const box = form.querySelector(".upload-status");
    if (box) box.hidden = true;
  }

  function setBusy(form, busy) {
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
      button.disabled = busy;
    }
    form.toggleAttribute("aria-busy", busy);
  }

  function swapIn(form, html) {
    const incoming = new DOMParser().parseFromString(html, "text/html");
    const selector = form.dataset.swap;
    const current = selector ? document.querySelector(selector) : null;
    const replacement = selector ? incoming.querySelector(selector) : null;
    if (!current || !replacement) return false;
    const swapped = [document.importNode(replacement, true)];
    current.replaceWith(swapped[0]);
    for (const extra of incoming.querySelectorAll("[hx-swap-oob][id]")) {
      const target = document.getElementById(extra.id);
      if (!target) continue;
      const copy = document.importNode(extra, true);
      copy.removeAttribute("hx-swap-oob");
      target.replaceWith(copy);
      swapped.push(copy);
    }
    if (window.htmx) swapped.forEach((element) => window.htmx.process(element));
    const firstError = swapped[0].querySelector(".has-error input, .has-error select, .has-error textarea, [role=alert]");
    const notice = swapped[0].querySelector("[role=status]:not(:empty)");
    const focus = firstError || notice;
    if (focus) {
      if (!focus.matches("input, select, textarea")) focus.tabIndex = -1;
      focus.scrollIntoView({ block: "center" });
      focus.focus({ preventScroll: true });
    }
    return true;
  }

  function send(form, data) {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("HX-Request", "true");
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      const percent = Math.round((event.loaded / event.total) * 100);
      if (percent < 100) setStatus(form, form.dataset.msgUploading.replace("{percent}", `${percent}%`), percent);
      else setStatus(form, form.dataset.msgProcessing, null);
    });
    xhr.addEventListener("load", () => {
      const redirect = xhr.getResponseHeader("HX-Redirect");
      if (redirect) {
        window.location.assign(redirect);
        return;
      }
      if (xhr.status < 400 && swapIn(form, xhr.responseText)) return;
      failed(form);
    });
    xhr.addEventListener("error", () => failed(form));
    xhr.addEventListener("abort", () => failed(form));
    xhr.send(data);
  }

  function failed(form) {
    setBusy(form, false);
    setStatus(form, form.dataset.msgFailed, 0);
  }

  async function submit(form) {
    setBusy(form, true);
    const data = new FormData(form);
    const sent = [];
    for (const input of form.querySelectorAll("input[type=file][data-shrink]")) {
      if (!input.files.length) continue;
      setStatus(form, form.dataset.msgShrinking, null);
      const longest = Number.parseInt(input.dataset.shrink, 10) || 1600;
      data.delete(input.name);
      for (const file of input.files) {
        const result = await shrink(file, longest);
        data.append(input.name, result.file, result.file.name);
        sent.push(`${result.width}x${result.height}:${result.file.size}`);
      }
    }
    // What was sent, for people (and tests) who want to check the shrinking: "1600x1067:312345 …".
    form.dataset.sentPhotos = sent.join(" ");
    setStatus(form, form.dataset.msgUploading.replace("{percent}", "0%"), 0);
    send(form, data);
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.matches("form[data-photo-upload]")) return;
      if (typeof FormData !== "function" || typeof XMLHttpRequest !== "function") return;
      event.preventDefault();
      event.stopPropagation();
      if (form.hasAttribute("aria-busy")) return;
      submit(form).catch(() => failed(form));
    },
    true,
  );

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.closest("form[data-photo-upload]")) {
      hideStatus(input.form);
    }
  });
})();
