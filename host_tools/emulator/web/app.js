// Polls the emulator: the panel PNG when its frame number changes, the
// serial log, and the buttons (click: short press; "hold": long press).
"use strict";

const panel = document.getElementById("panel");
const log = document.getElementById("log");
let shownFrame = -1;
let builtButtons = false;

function press(pin, long) {
  return fetch("/press", {method: "POST", headers: {"Content-Type": "application/json"},
                          body: JSON.stringify({pin: pin, long: long})});
}

function buildButtons(buttons) {
  const box = document.getElementById("buttons");
  for (const b of buttons) {
    const short = document.createElement("button");
    short.textContent = b.label;
    short.dataset.pin = b.pin;
    short.addEventListener("click", () => press(b.pin, false));
    box.appendChild(short);
    if (b.main) {
      const hold = document.createElement("button");
      hold.textContent = "hold " + b.label;
      hold.className = "long";
      hold.dataset.pin = b.pin;
      hold.dataset.long = "1";
      hold.addEventListener("click", () => press(b.pin, true));
      box.appendChild(hold);
    }
  }
  builtButtons = true;
}

function showPanel(s) {
  if (s.width === null) {
    panel.hidden = true;
    document.getElementById("nopanel").hidden = false;
    return;
  }
  // The PNG is 1:1; CSS scales it by whole pixels, crisp.
  panel.style.width = (s.width * s.scale) + "px";
  panel.style.height = (s.height * s.scale) + "px";
  if (s.frame !== shownFrame) {
    shownFrame = s.frame;
    panel.src = "/panel.png?f=" + s.frame;
    panel.dataset.frame = s.frame;
  }
}

async function tick() {
  try {
    const s = await (await fetch("/state.json", {cache: "no-store"})).json();
    document.getElementById("board").textContent = s.board;
    document.getElementById("state").textContent = "state: " + s.state;
    if (!builtButtons) buildButtons(s.buttons);
    showPanel(s);
    const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    log.textContent = s.lines.join("\n");
    if (atBottom) log.scrollTop = log.scrollHeight;
  } catch (e) {
    document.getElementById("state").textContent = "emulator not reachable";
  }
  setTimeout(tick, 250);
}

tick();
