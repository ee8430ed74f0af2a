// Posts the payment form to the provider's gateway as soon as the page loads; the button stays
// for browsers without JavaScript.
document.querySelector("form[data-auto-submit]")?.submit();
