//! What residents write in free-text answers: sentences put together from fragments (what,
//! for whom, where, when, what it leads to), so that the demo's answers read like many
//! people's, in the CCYN's communes, and not like ten sentences said again and again.
//! A few carry quotes, `<` or `&`, which pages must escape.

use super::random::SplitMix;

/// Which question a text answers, and so which fragments it is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Voice {
    /// An idea for the next fair.
    Idea,
    /// Health care near home.
    Health,
    /// Daily life with very young children.
    EarlyYears,
    /// What a volunteer would help with.
    Volunteering,
    /// A word for the organisers of an evening event.
    Evening,
    /// An idea for the local services.
    Service,
    /// A step or a journey that went wrong.
    Errand,
}

const COMMUNES: &[&str] = &[
    "Pont-sur-Yonne",
    "Villeneuve-la-Guyard",
    "Villeblevin",
    "Champigny",
    "Sergines",
    "Michery",
    "Courlon-sur-Yonne",
    "Vinneuf",
    "Thorigny-sur-Oreuse",
    "La Chapelle-sur-Oreuse",
    "Cuy",
    "Serbonnes",
    "Chaumont",
    "Villemanoche",
    "Gisy-les-Nobles",
    "Évry",
    "Perceneige",
    "Pailly",
    "Saint-Sérotin",
    "Villeperrot",
    "Plessis-Saint-Jean",
    "Villenavotte",
    "Compigny",
];

/// One answer in `voice`.
pub(super) fn text(voice: Voice, rng: &mut SplitMix) -> String {
    let commune = rng.one(COMMUNES);
    // Which sentence shape, drawn before the fragments.
    let shape = rng.below(12);
    let mut pick = |items: &[&'static str]| rng.one(items).replace("{commune}", commune);
    match voice {
        Voice::Idea => match shape % 3 {
            0 => format!(
                "{}{}{}",
                pick(IDEA_PROPOSALS),
                pick(IDEA_FOR),
                pick(IDEA_DETAILS)
            ),
            1 => format!("{}{}", pick(THANKS), pick(THANKS_ENDS)),
            _ => pick(IDEA_PRACTICAL),
        },
        Voice::Health => match shape % 4 {
            0 | 1 => format!(
                "{}{}{}",
                pick(HEALTH_SITUATIONS),
                pick(HEALTH_PLACES),
                pick(HEALTH_CONSEQUENCES)
            ),
            2 => format!("{}{}", pick(HEALTH_RIGHTS), pick(HEALTH_RIGHTS_ENDS)),
            _ => format!("{}{}", pick(SCREENING), pick(SCREENING_ENDS)),
        },
        Voice::EarlyYears => match shape % 3 {
            0 | 1 => format!("{}{}", pick(EARLY_CONSTRAINTS), pick(EARLY_CONSEQUENCES)),
            _ => pick(EARLY_WISHES),
        },
        Voice::Volunteering => format!("{}{}", pick(VOLUNTEER_TASKS), pick(VOLUNTEER_WHEN)),
        Voice::Evening => format!("{}{}", pick(EVENING_REACTIONS), pick(EVENING_IDEAS)),
        Voice::Service => format!("{}{}", pick(SERVICE_IDEAS), pick(SERVICE_PLACES)),
        Voice::Errand => format!(
            "{}{}{}",
            pick(ERRAND_WHAT),
            pick(ERRAND_WHERE),
            pick(ERRAND_OUTCOME)
        ),
    }
}

const IDEA_PROPOSALS: &[&str] = &[
    "Plus d'animations",
    "Des jeux en bois",
    "Un coin lecture",
    "Des ateliers cuisine",
    "Un spectacle de marionnettes",
    "Une initiation au tir à l'arc",
    "Une scène ouverte",
    "Des balades à poney",
    "Un atelier de réparation de vélos",
    "Des jeux d'eau",
    "Un tournoi de pétanque",
    "Une piste de trottinettes",
    "Un espace calme",
    "Un atelier maquillage",
];
const IDEA_FOR: &[&str] = &[
    " pour les ados",
    " pour les tout-petits",
    " pour les 6-10 ans",
    " pour les grands-parents",
    " pour toute la famille",
    " pour les enfants en fauteuil aussi",
    "",
];
const IDEA_DETAILS: &[&str] = &[
    ", le samedi après-midi",
    " à l'ombre des platanes",
    ", c'était trop court cette année",
    " et plus de bancs",
    ", comme à {commune} l'an dernier",
    " près de la buvette",
    "",
];
const THANKS: &[&str] = &[
    "Merci aux bénévoles",
    "Bravo à toute l'équipe",
    "Super journée",
    "Très bonne organisation",
    "Belle fête",
    "Venus de {commune} exprès",
];
const THANKS_ENDS: &[&str] = &[
    " !",
    ", on reviendra l'an prochain.",
    " ; le \"coin des bébés\" était parfait.",
    ", attente < 5 min aux jeux en bois.",
    ", mais il manquait de l'ombre.",
    ", les enfants en redemandent.",
];
const IDEA_PRACTICAL: &[&str] = &[
    "Une navette depuis {commune} et les petites communes",
    "Des toilettes accessibles aux poussettes et aux fauteuils",
    "Plus de tables pour pique-niquer en famille",
    "Un parking à vélos près de l'entrée",
    "Le dimanche, pour ceux qui travaillent le samedi",
    "Des points d'eau gratuits, il faisait très chaud",
    "Le programme affiché à l'entrée & sur Facebook",
    "Covoiturage organisé depuis {commune}, nous n'avons pas de voiture",
    "Des stands des associations de {commune} aussi",
];

const HEALTH_SITUATIONS: &[&str] = &[
    "Mon médecin part à la retraite et personne ne le remplace",
    "Trois mois d'attente pour un dermatologue",
    "Il n'y a plus de kiné",
    "Plus aucun dentiste ne prend de nouveaux patients",
    "Le cabinet infirmier est débordé",
    "Six mois pour un rendez-vous de gynécologie",
    "Ma mère de 84 ans n'a plus de médecin traitant",
    "Pas d'ophtalmologiste avant l'été prochain",
];
const HEALTH_PLACES: &[&str] = &[
    " à {commune}",
    " du côté de {commune}",
    " près de chez nous",
    " sur tout le secteur",
    "",
];
const HEALTH_CONSEQUENCES: &[&str] = &[
    " : sans voiture, aller à Sens prend la matinée.",
    " : je n'ai plus de suivi depuis des mois.",
    " ; on finit aux urgences de Sens pour un rien.",
    " : je repousse mes examens depuis un an.",
    ", il faudrait un bus vers l'hôpital deux fois par semaine.",
    ", une maison de santé à Pont-sur-Yonne changerait tout.",
    ". Les téléconsultations, ce n'est pas pareil.",
];
const HEALTH_RIGHTS: &[&str] = &[
    "Les démarches Ameli en ligne, je n'y arrive pas seule",
    "Je ne savais pas que j'avais droit à la complémentaire santé solidaire",
    "On manque d'informations sur les aides pour les aidants",
    "Pour le dossier MDPH de mon mari, personne ne m'a expliqué",
];
const HEALTH_RIGHTS_ENDS: &[&str] = &[
    " ; heureusement France Services m'a aidée.",
    ", il faudrait une permanence de la CPAM à {commune}.",
    ".",
    " : un rendez-vous avec quelqu'un en vrai, ce serait bien.",
];
const SCREENING: &[&str] = &[
    "Merci pour les infos sur le dépistage",
    "Le stand sur la prévention était très clair",
    "Bonne idée cette marche rose",
];
const SCREENING_ENDS: &[&str] = &[
    ", je ne savais pas que c'était gratuit.",
    " : j'ai pris rendez-vous pour la mammographie.",
    ", à refaire chaque année.",
    ", il faudrait la même chose pour les hommes.",
    " ; nous étions venues à trois de {commune}.",
];

const EARLY_CONSTRAINTS: &[&str] = &[
    "Je travaille en horaires décalés",
    "Nous attendons une place en crèche depuis 8 mois",
    "Mon assistante maternelle part à la retraite en juin",
    "Seule avec deux petits",
    "Nous venons d'arriver à {commune}",
    "Notre fils a des besoins particuliers",
    "Je reprends le travail à Sens en septembre",
    "Avec des jumeaux de 18 mois",
];
const EARLY_CONSEQUENCES: &[&str] = &[
    " et aucune assistante maternelle n'accepte avant 7 h.",
    ", les mercredis sont compliqués.",
    " : le RPE nous a beaucoup aidés pour trouver une nounou.",
    ", on ne sait jamais qui appeler : mairie, CCYN ou CAF ?",
    " ; pas de solution de garde quand l'enfant est malade.",
    ", les horaires de la crèche ne collent pas avec les trajets.",
    " : il faudrait plus de places en micro-crèche à {commune}.",
];
const EARLY_WISHES: &[&str] = &[
    "Les \"bébés lecteurs\" à la médiathèque de {commune}, c'est super.",
    "Des ateliers parents-bébés le samedi matin à {commune}, ce serait top.",
    "Un lieu d'accueil parents-enfants près de {commune}, pour rencontrer d'autres parents.",
    "Toutes les infos petite enfance au même endroit, s'il vous plaît.",
    "Merci au relais petite enfance, très à l'écoute.",
];

const VOLUNTEER_TASKS: &[&str] = &[
    "L'installation et le rangement",
    "La buvette",
    "La sono, je joue de la guitare",
    "Les affiches et les réseaux sociaux",
    "L'accueil des familles à l'entrée",
    "Animer des jeux pour les enfants",
    "La cuisine",
    "La sécurité et le parking",
    "Les photos de la soirée",
];
const VOLUNTEER_WHEN: &[&str] = &[
    "",
    ", le samedi",
    ", en soirée seulement",
    ", selon mes disponibilités",
    " avec mon club de foot",
    " avec des copains de {commune}",
];

const EVENING_REACTIONS: &[&str] = &[
    "Trop bien la soirée",
    "Super ambiance",
    "Merci aux organisateurs",
    "Belle soirée au bord de l'Yonne",
    "Très bon concert",
    "Venus en famille de {commune}",
];
const EVENING_IDEAS: &[&str] = &[
    " !",
    ", mais une navette pour rentrer après minuit vers {commune} serait bien.",
    " ; plus de choses pour les 12-15 ans.",
    ", des concerts avec des groupes du coin <3",
    ", un peu plus de lumière sur le parking.",
    " & des food trucks végétariens.",
    ", à refaire pendant les vacances d'été.",
];

const SERVICE_IDEAS: &[&str] = &[
    "Une permanence France Services",
    "Le transport à la demande le samedi",
    "Un car direct vers Sens",
    "Des horaires d'ouverture le samedi matin",
    "Un numéro unique pour savoir à qui s'adresser",
    "Un atelier pour apprendre les démarches en ligne",
    "Un ramassage des seniors le jour du marché",
    "Une aide aux devoirs",
    "Un local pour les jeunes",
    "Plus de places à l'accueil de loisirs le mercredi",
    "Des visites à domicile pour les personnes âgées",
];
const SERVICE_PLACES: &[&str] = &[
    " à {commune}",
    " dans les petites communes",
    " une fois par mois à {commune}",
    " jusqu'à {commune} et les hameaux",
    " pour les habitants de {commune} et alentours",
];

const ERRAND_WHAT: &[&str] = &[
    "Pour renouveler ma carte d'identité",
    "Pour ma demande de RSA",
    "Pour inscrire mon fils à la mission locale",
    "Pour la prime d'activité",
    "Pour un rendez-vous à la CAF",
    "Pour ma retraite",
    "Pour refaire ma carte grise",
    "Pour le dossier MDPH de ma fille",
    "Pour trouver une place en crèche",
    "Pour la carte mobilité inclusion de mon père",
];
const ERRAND_WHERE: &[&str] = &[
    ", il a fallu aller à Sens",
    ", j'ai dû aller jusqu'à Montereau",
    ", tout se fait en ligne",
    ", il fallait un rendez-vous à Sens",
    ", la mairie de {commune} m'a renvoyé vers Sens",
];
const ERRAND_OUTCOME: &[&str] = &[
    " : deux bus et une demi-journée de perdue.",
    ", et je n'ai pas de voiture.",
    " ; sans mon voisin je n'y serais pas arrivée.",
    ". France Services à Sergines m'a finalement aidé.",
    ", j'ai abandonné.",
    ", et le site ne marchait pas sur mon téléphone.",
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const VOICES: [Voice; 7] = [
        Voice::Idea,
        Voice::Health,
        Voice::EarlyYears,
        Voice::Volunteering,
        Voice::Evening,
        Voice::Service,
        Voice::Errand,
    ];

    #[test]
    fn hundreds_of_distinct_sentences_that_read_right() {
        let mut rng = SplitMix(7);
        let mut all = HashSet::new();
        for voice in VOICES {
            let mut own = HashSet::new();
            for _ in 0..300 {
                let text = text(voice, &mut rng);
                assert!(!text.contains("{commune}"), "{text}");
                assert!(!text.contains("  ") && !text.contains(" ,"), "{text}");
                assert!(text.chars().count() <= 280, "{text}");
                own.insert(text.clone());
                all.insert(text);
            }
            // Few fragments for volunteers, whose answers are a few words anyway.
            let least = if voice == Voice::Volunteering {
                40
            } else {
                100
            };
            assert!(own.len() >= least, "{voice:?}: {} distinct", own.len());
        }
        assert!(all.len() >= 800, "{} distinct", all.len());
    }
}
