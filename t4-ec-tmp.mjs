import * as echarts from 'echarts';
const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: 240 });
c.setOption({ animation:false, title:{text:'职称分布'}, xAxis:{type:'category', data:['三级','二级','一级']}, yAxis:{type:'value'}, series:[{type:'bar', data:[3,5,7], label:{show:true, position:'top'}}] });
console.log(c.renderToSVGString());
c.dispose();
const p = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: 240 });
p.setOption({ animation:false, series:[{type:'pie', data:[{name:'公办',value:35},{name:'民办',value:4}], label:{formatter:'{b} {c}'}}] });
console.log(p.renderToSVGString());
