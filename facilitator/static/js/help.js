// "Get help now": opens the group's help texts, already in the page, in a dialog.
// It needs no live connection; without this script the link opens the /help page instead.

const opener = document.getElementById("help-now");
const dialog = document.getElementById("help-dialog");

if (opener && dialog && typeof dialog.showModal === "function") {
  opener.addEventListener("click", (event) => {
    event.preventDefault();
    if (!dialog.open) {
      dialog.showModal();
    }
    document.getElementById("help-dialog-title").focus();
  });
  dialog.addEventListener("close", () => opener.focus());
  // A tap on the dimmed backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right
        && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) {
        dialog.close();
      }
    }
  });
}
