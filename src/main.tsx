// Placeholder entry until the UI lands.
document.getElementById('root')!.textContent = 'ConvLab';
