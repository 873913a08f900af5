// The panel shows times in the staff member's own zone: the browser says which, the server reads the cookie.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var current = document.cookie.split("; ").find(function (row) { return row.indexOf("staff_tz=") === 0; });
  if (current && decodeURIComponent(current.slice(9)) === zone) return;
  // From the next page on; the first page after a change is still in the project's zone.
  document.cookie = "staff_tz=" + encodeURIComponent(zone) + "; path=/admin/; max-age=31536000; samesite=lax";
})();
