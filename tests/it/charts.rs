//! `grafico` and `cifra`: SVG charts parsed back, figures computed from data, messages.

use crate::harness::Site;
use quick_xml::Reader;
use quick_xml::events::Event;

const METAS: &str = "titulo: Avance de la meta 2018\nfuente: Viceministerio de Seguridad Pública\nfilas:\n  - {mes: 2018-01, cumplido: 2, planificado: 3}\n  - {mes: 2018-02, cumplido: 3, planificado: 3}\n  - {mes: 2018-03, cumplido: 1, planificado: 4}\n  - {mes: 2018-04, cumplido: 4, planificado: 2}\n";
const TERRITORIOS: &str = "titulo: Barrios por territorio\nfuente: DGSC\ntotal: {barrios: 15}\nfilas:\n  - {territorio: Lima Metropolitana, barrios: 9, cohorte: 2018}\n  - {territorio: Callao, barrios: 4, cohorte: 2018}\n  - {territorio: Ica, barrios: 2, cohorte: 2016}\n";

/// (element name, attributes) of every element of an SVG, failing on malformed XML.
fn elements(svg: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = Reader::from_str(svg);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("well-formed SVG") {
            Event::Start(e) | Event::Empty(e) => {
                let qname = e.name();
                let name: &str = qname.as_ref();
                let attrs = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let key = a.key;
                        let k: &str = key.as_ref();
                        (k.to_string(), a.value.to_string())
                    })
                    .collect();
                out.push((name.to_string(), attrs));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn chart_site(call: &str) -> Site {
    Site::new()
        .with(
            "content/datos/metas.yaml",
            "- {periodo: 2018-07, meta: 30}\n",
        )
        .with("content/datos/avance.yaml", METAS)
        .with("content/datos/por-territorio.yaml", TERRITORIOS)
        .bulletin("a.md", "A", "2018-01-01", &format!("Texto.\n\n{call}\n"))
}

fn svg_of(site: &Site) -> String {
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    let start = html.find("<svg").expect("inline svg");
    let end = html[start..].find("</svg>").expect("end") + start + 6;
    let inline = html[start..end].to_string();
    let file = site.read("graficos/a-1.svg");
    assert!(
        file.contains(&inline),
        "the standalone SVG is the same chart"
    );
    inline
}

fn count(els: &[(String, Vec<(String, String)>)], name: &str) -> usize {
    els.iter().filter(|(n, _)| n == name).count()
}

#[test]
fn vertical_bars_with_title_description_and_labels() {
    let site =
        chart_site("{{ grafico(datos=\"por-territorio\", x=\"territorio\", y=\"barrios\") }}");
    let svg = svg_of(&site);
    let els = elements(&svg);
    let root = &els[0].1;
    assert!(root.contains(&("role".into(), "img".into())));
    assert!(
        root.iter()
            .any(|(k, v)| k == "viewBox" && v.starts_with("0 0 420 "))
    );
    assert!(
        !root.iter().any(|(k, _)| k == "width"),
        "scales: no fixed pixel width"
    );
    assert_eq!(count(&els, "rect"), 3, "one bar per territory");
    assert!(svg.contains("<title id=\"grafico-a-1-titulo\">Barrios por territorio</title>"));
    assert!(
        svg.contains("Lima Metropolitana tiene el valor más alto: 9 de 15 en total."),
        "{svg}"
    );
    assert!(
        svg.contains(">Lima Metropolitana<") && svg.contains(">9<"),
        "category and value labels"
    );
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("Fuente: DGSC."));
    assert!(html.contains("<summary>Ver datos"));
    assert!(html.contains("<th scope=\"row\">Callao</th><td class=\"num\">4</td>"));
    assert!(
        html.contains("href=\"/sub/datos/por-territorio.csv\"")
            && html.contains("href=\"/sub/graficos/a-1.svg\"")
    );
}

#[test]
fn horizontal_grouped_stacked_line_and_area() {
    for (call, rects, paths) in [
        (
            "{{ grafico(datos=\"por-territorio\", tipo=\"barras_horizontales\", x=\"territorio\", y=\"barrios\") }}",
            3,
            0,
        ),
        (
            "{{ grafico(datos=\"avance\", tipo=\"agrupadas\", x=\"mes\", y=[\"cumplido\", \"planificado\"], series=[\"Cumplido\", \"Planificado\"]) }}",
            2 + 8,
            0,
        ),
        (
            "{{ grafico(datos=\"avance\", tipo=\"apiladas\", x=\"mes\", y=[\"cumplido\", \"planificado\"]) }}",
            2 + 8,
            0,
        ),
        (
            "{{ grafico(datos=\"avance\", tipo=\"linea\", x=\"mes\", y=\"cumplido\", acumulado=true) }}",
            0,
            1,
        ),
        (
            "{{ grafico(datos=\"avance\", tipo=\"area\", x=\"mes\", y=\"cumplido\", acumulado=true) }}",
            0,
            2,
        ),
    ] {
        let site = chart_site(call);
        let svg = svg_of(&site);
        let els = elements(&svg);
        assert_eq!(count(&els, "rect"), rects, "{call}");
        assert_eq!(count(&els, "path"), paths, "{call}");
        assert!(svg.contains("<desc id=\"grafico-a-1-desc\">"), "{call}");
        if call.contains("acumulado") {
            assert_eq!(count(&els, "circle"), 4);
            assert!(
                svg.contains("de 2 en ene 2018 a 10 en abr 2018"),
                "running total: {svg}"
            );
            assert!(svg.contains(">ene 2018<"), "Spanish months on the axis");
        }
        if call.contains("agrupadas") {
            assert!(
                svg.contains(">Cumplido<") && svg.contains(">Planificado<"),
                "legend names the series"
            );
        }
    }
}

#[test]
fn charts_are_deterministic_and_small() {
    let a = chart_site(
        "{{ grafico(datos=\"avance\", tipo=\"agrupadas\", x=\"mes\", y=[\"cumplido\", \"planificado\"]) }}",
    );
    let first = svg_of(&a);
    a.build_ok();
    assert_eq!(first, svg_of(&a));
    assert!(first.len() < 20_000, "{} bytes", first.len());
}

#[test]
fn cifra_computes_figures_from_the_data() {
    let site = chart_site(
        "En total hay {{ cifra(datos=\"por-territorio\", suma=\"barrios\") }} barrios en {{ cifra(datos=\"por-territorio\") }} territorios; {{ cifra(datos=\"por-territorio\", suma=\"barrios\", donde=\"cohorte=2018\") }} son de 2018.",
    );
    site.build_ok();
    let html = site.read("boletines/a/index.html");
    assert!(html.contains("En total hay <span class=\"cifra\">15</span> barrios en <span class=\"cifra\">3</span> territorios; <span class=\"cifra\">13</span> son de 2018."), "{html}");
}

#[test]
fn chart_and_figure_errors_suggest() {
    let site = chart_site(
        "{{ grafico(datos=\"avance\", tipo=\"barra\", x=\"mes\", y=\"cumplido\") }}\n\n{{ grafico(datos=\"avance\", x=\"mess\", y=\"cumplido\") }}\n\n{{ grafico(datos=\"por-territorio\", x=\"barrios\", y=\"territorio\") }}\n\n{{ cifra(datos=\"avance\", donde=\"mes\") }}",
    );
    assert_eq!(
        site.errors(),
        vec![
            "error: content/boletines/a.md:7:28: tipo de gráfico desconocido `barra`: ¿quiso decir `barras`?",
            "error: content/boletines/a.md:9:28: `avance` no tiene la columna `mess`: ¿quiso decir `mes`?",
            "error: content/boletines/a.md:11:49: la columna `territorio` de `por-territorio` debe tener números para poder graficarla o sumarla, pero en content/datos/por-territorio.yaml:5:18 dice `Lima Metropolitana`: escriba allí la cifra (`3`, `1.5`) o deje la celda vacía si no hay dato",
            "error: content/boletines/a.md:13:26: condición no válida `mes`: escriba `columna=valor`, por ejemplo `cohorte=2018`",
        ]
    );
}

#[test]
fn theme_authors_get_cifra_and_grafico_functions() {
    let site = chart_site("x")
        .with("content/sitio.yaml", &format!("{}tema: t\n", crate::harness::SITE_YAML))
        .with(
            "themes/t/templates/partials/pie.html",
            "<footer>Barrios: {{ cifra(datos=\"por-territorio\", suma=\"barrios\") }}. {{ grafico(datos=\"por-territorio\", x=\"territorio\", y=\"barrios\", id=\"pie-grafico\") }} {{ tabla(datos=\"por-territorio\", columnas=[\"territorio\", \"barrios\"]) }}</footer>",
        );
    site.build_ok();
    let html = site.read("index.html");
    assert!(
        html.contains("Barrios: <span class=\"cifra\">15</span>."),
        "{html}"
    );
    assert!(html.contains("<title id=\"pie-grafico-titulo\">Barrios por territorio</title>"));
    assert!(
        html.contains("<caption>Barrios por territorio</caption>"),
        "{html}"
    );
    assert!(html.contains("<th scope=\"row\">Callao</th><td class=\"num\">4</td>"));
    assert!(
        html.contains(
            "<tfoot><tr><th scope=\"row\">Total</th><td class=\"num\">15</td></tr></tfoot>"
        )
    );
    let broken = chart_site("x")
        .with(
            "content/sitio.yaml",
            &format!("{}tema: t\n", crate::harness::SITE_YAML),
        )
        .with(
            "themes/t/templates/partials/pie.html",
            "<footer>\n{{ cifra(datos=\"nada\") }}</footer>",
        );
    let errors = broken.errors();
    assert!(
        errors[0].starts_with("error: themes/t/templates/partials/pie.html:2:"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("no existe el conjunto de datos `nada`"),
        "{errors:?}"
    );
}

#[test]
fn counting_rows_per_month_with_a_running_total() {
    let site = chart_site("{{ grafico(datos=\"lanzamientos\", tipo=\"linea\", x=\"fecha\", por_mes=true, acumulado=true, series=[\"Lanzamientos\"]) }}")
        .with("content/datos/lanzamientos.yaml", "- {fecha: 2017-05-05, barrio: a}\n- {fecha: 2017-07-01, barrio: b}\n- {fecha: 2017-07-20, barrio: c}\n")
        .with("content/datos/territorios.yaml", "- {id: ica, nombre: Ica}\n")
        .with("content/datos/barrios.yaml", "- {id: a, nombre: A, territorio: ica}\n- {id: b, nombre: B, territorio: ica}\n- {id: c, nombre: C, territorio: ica}\n");
    let svg = svg_of(&site);
    let els = elements(&svg);
    assert_eq!(count(&els, "circle"), 3, "may, jun and jul 2017");
    assert!(svg.contains("de 1 en may 2017 a 3 en jul 2017"), "{svg}");
}
