// The till (backoffice/pos_till.html): scan the QR on a hang tag with the camera, and show the change due.
// The camera uses the browser's BarcodeDetector where there is one, else jsQR (vendor/jsqr, loaded only then).
// A scanned /lacak/<code>/ address gives its lot code, which is put in the code field and the form sent (htmx
// redraws the till). Without JavaScript or a camera the scan button stays hidden and codes are typed.
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
    const box = document.querySelector("[data-pos-scan]");
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
    stopCamera();
    const form = document.querySelector("[data-scan-form]");
    const input = form && form.querySelector("input[name=code]");
    if (!input) return;
    input.value = codeFrom(text);
    form.requestSubmit();
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
    let detect;
    if ("BarcodeDetector" in window) {
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      detect = async () => {
        const codes = await detector.detect(p.video);
        return codes.length ? codes[0].rawValue : null;
      };
    } else {
      const jsQR = await loadJsqr();
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      detect = async () => {
        const width = p.video.videoWidth;
        const height = p.video.videoHeight;
        if (!width || !height) return null;
        canvas.width = width;
        canvas.height = height;
        context.drawImage(p.video, 0, 0, width, height);
        const result = jsQR(context.getImageData(0, 0, width, height).data, width, height);
        return result ? result.data : null;
      };
    }
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

  // The change due, as the cash received is typed: "Rp1.250.000" (integer rupiah, dots group thousands).
  const rupiah = (value) => "Rp" + String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  const showChange = () => {
    const form = document.querySelector("[data-pay-form]");
    const totalEl = document.querySelector("[data-total]");
    if (!form || !totalEl) return;
    const line = form.querySelector("[data-change-line]");
    const cash = form.querySelector("input[name=cash_received_idr]");
    const method = form.querySelector("input[name=payment_method]:checked");
    const typed = cash ? cash.value.replace(/\D/g, "") : "";
    const change = typed ? Number(typed) - Number(totalEl.dataset.total) : -1;
    const isCash = !method || method.value === "CASH";
    line.hidden = !(isCash && change >= 0);
    if (!line.hidden) line.querySelector("[data-change]").textContent = rupiah(change);
  };

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-scan-start]")) startCamera();
    if (event.target.closest("[data-scan-stop]")) stopCamera();
  });
  document.addEventListener("input", showChange);
  document.addEventListener("change", showChange);
  document.addEventListener("htmx:afterSwap", () => {
    showScanner();
    showChange();
  });
  showScanner();
  showChange();
})();
