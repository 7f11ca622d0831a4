// Page actions, without inline script (the Content-Security-Policy allows none of ours).
// "Sao chép liên kết": copies the page address; without JavaScript the link simply opens it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.share-copy");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    link.textContent = "Đã sao chép liên kết";
  });
});

// «In bài»: the button is hidden in the HTML and shown only here, where it can work.
document.querySelectorAll("button[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
