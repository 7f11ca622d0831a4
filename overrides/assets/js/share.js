// "Sao chép liên kết": copies the page address; without JavaScript the link simply opens it.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.share-copy");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(function () {
    link.textContent = "Đã sao chép liên kết";
  });
});
