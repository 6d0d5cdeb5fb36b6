// Scanning a hang tag's QR with the phone's camera, for the till (includes/pos_till.html) and the outlet
// partner's sales page (partner_sale.html). The page holds a box [data-tag-scan] (start and stop buttons, a
// video, a status line; hidden until a camera can be asked for) and a form [data-scan-form] with a code field.
// The camera uses the browser's BarcodeDetector where there is one, else jsQR (vendor/jsqr, loaded only then,
// from this script's data-jsqr-src). A scanned /lacak/<code>/ address gives its lot code, which is put in the
// code field; then the box's data-scan-then says what follows: "submit" sends the form (the till adds the item
// at once), "quantity" puts the focus on the form's quantity (the partner confirms with the form's button).
// Without JavaScript or a camera the box stays hidden and the code on the tag is typed.
(() => {
  const script = document.currentScript;
  const jsqrSrc = script ? script.dataset.jsqrSrc : "";
  let stream = null;
  let timer = null;
  let jsqrLoading = null;

  const codeFrom = (text) => {
    const match = /\/lacak\/([^/?#]+)/.exec(text);
    return (match ? decodeURIComponent(match[1]) : text).trim();
  };

  const loadJsqr = () => {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    if (!jsqrLoading) {
      jsqrLoading = new Promise((resolve, reject) => {
        const tag = document.createElement("script");
        tag.src = jsqrSrc;
        tag.onload = () => resolve(window.jsQR);
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return jsqrLoading;
  };

  const parts = () => {
    const box = document.querySelector("[data-tag-scan]");
    return box && {
      box,
      video: box.querySelector("[data-scan-video]"),
      start: box.querySelector("[data-scan-start]"),
      stop: box.querySelector("[data-scan-stop]"),
      status: box.querySelector("[data-scan-status]"),
    };
  };

  const stopCamera = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    const p = parts();
    if (p) {
      p.video.hidden = true;
      p.stop.hidden = true;
      p.start.hidden = false;
    }
  };

  const found = (text) => {
    const p = parts();
    stopCamera();
    const form = document.querySelector("[data-scan-form]");
    const input = form && form.querySelector("input[name$=code]");
    if (!input) return;
    input.value = codeFrom(text);
    if (p && p.box.dataset.scanThen === "submit") {
      form.requestSubmit();
      return;
    }
    const quantity = form.querySelector("input[name$=quantity]");
    if (quantity) {
      quantity.focus();
      quantity.select();
    }
  };

  const detectorFor = async (video) => {
    if ("BarcodeDetector" in window) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return async () => {
        const codes = await detector.detect(video);
        return codes.length ? codes[0].rawValue : null;
      };
    }
    const jsQR = await loadJsqr();
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      const width = video.videoWidth;
      const height = video.videoHeight;
      if (!width || !height) return null;
      canvas.width = width;
      canvas.height = height;
      context.drawImage(video, 0, 0, width, height);
      const result = jsQR(context.getImageData(0, 0, width, height).data, width, height);
      return result ? result.data : null;
    };
  };

  const startCamera = async () => {
    const p = parts();
    if (!p) return;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      p.status.textContent = p.box.dataset.noCamera || String(error);
      return;
    }
    p.video.srcObject = stream;
    p.video.hidden = false;
    p.stop.hidden = false;
    p.start.hidden = true;
    await p.video.play();
    const detect = await detectorFor(p.video);
    const tick = async () => {
      if (!stream) return;
      try {
        const text = await detect();
        if (text) return found(text);
      } catch (error) {
        // A frame that cannot be read yet: try the next one.
      }
      timer = setTimeout(tick, 250);
    };
    tick();
  };

  const showScanner = () => {
    const p = parts();
    if (p && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) p.box.hidden = false;
  };

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-scan-start]")) startCamera();
    if (event.target.closest("[data-scan-stop]")) stopCamera();
  });
  // The till is redrawn by htmx after each item: show the (new) box again.
  document.addEventListener("htmx:afterSwap", showScanner);
  showScanner();
})();
