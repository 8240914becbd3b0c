// Pins an incident's witness statements (#witness-statements .witness-statement, drawn by the WitnessStatements view component) on a map;
// text nodes only. incident-detail.js calls window.safecities.drawWitnesses(map) at load and whenever the section is drawn again; the
// layer it returns holds the pins.
(() => {
  function drawWitnesses(map) {
    const layer = L.layerGroup().addTo(map);
    for (const item of document.querySelectorAll('#witness-statements .witness-statement')) {
      const at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      if (at.some(Number.isNaN)) continue;
      const label = document.createElement('span');
      label.textContent = `Witness: ${item.dataset.category}`;
      L.circleMarker(at, { radius: 7, weight: 2, color: '#fff', fillOpacity: 0.9, fillColor: '#6f42c1' }).bindTooltip(label).addTo(layer);
    }
    return { layer };
  }
  window.safecities.drawWitnesses = drawWitnesses;
})();
