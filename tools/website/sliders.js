// The course's sliders without a kernel. Each .course-slider holds its settings' pictures
// (drawn when the site was built, each one once) and, for every setting, which of them the
// figure shows and where. Moving a range input puts that setting's pictures in the figure.
"use strict";
document.querySelectorAll(".course-slider").forEach((slider) => {
  const data = JSON.parse(slider.querySelector(".course-frames").textContent);
  const inputs = [...slider.querySelectorAll("input[type=range]")];
  const figure = slider.querySelector(".course-figure");

  function picture([image, left, top, width, height, pixelated]) {
    const img = document.createElement("img");
    img.src = "data:image/png;base64," + data.images[image];
    img.alt = "";
    img.style.cssText = `position:absolute;left:${left}px;top:${top}px;width:${width}px;` +
      `height:${height}px;max-width:none;image-rendering:${pixelated ? "pixelated" : "auto"}`;
    return img;
  }

  function show() {
    inputs.forEach((input, k) => {
      const label = data.controls[k].labels[Number(input.value)];
      input.setAttribute("aria-valuetext", label);
      input.nextElementSibling.textContent = label;
    });
    const pieces = data.frames[inputs.map((input) => input.value).join(",")];
    figure.replaceChildren(...pieces.map(picture));
  }

  inputs.forEach((input) => input.addEventListener("input", show));
});
