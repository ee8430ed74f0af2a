// The supervisors' wallboard (CALL-5): redrawn whenever an agent changes state and on the
// server's tick, so waiting times keep growing on the board.
import { follow, refresh } from "./live.js";

const board = document.querySelector("[data-cc-wallboard]");
let pending = null;
follow(board.dataset.socket, () => {
  if (pending) return; // one redraw for a burst of changes
  pending = window.setTimeout(async () => {
    pending = null;
    await refresh(board, board.dataset.boardUrl);
  }, 150);
});
