// 全选本页: one box checks or clears every product box of the bulk form; without
// JavaScript the boxes are checked one by one.
document.querySelectorAll("form[data-bulk]").forEach((form) => {
  const all = form.querySelector("[data-select-all]");
  const boxes = () => form.querySelectorAll('input[name="product"]');
  if (!all) return;
  all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
  form.addEventListener("change", (event) => {
    if (event.target.name !== "product") return;
    const list = Array.from(boxes());
    all.checked = list.every((box) => box.checked);
    all.indeterminate = !all.checked && list.some((box) => box.checked);
  });
});
