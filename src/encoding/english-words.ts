// A compact list of common English words, roughly in order of frequency (function words first),
// written for this project. It backs the dictionary-word rate that tells English from encoded text.

const WORDS = `
the of and to a in is it you that he was for on are with as i his they be at one have this from
or had by not but what all were we when your can said there use an each which she do how their if
will up about out many then them these so some her would make like him into has look two more
write go see no way could people my than first been who its now find did get may down made
come over only just also any new know time year take work back after good very well want give
most our us me should here where why must much because through those such every own same while
still even between too under last never before long great little right think both few off again
few another around something nothing anything everything someone anyone everyone always often
sometimes usually however although though since until without within during against among upon
toward towards across above below behind beside next near along already yet else once twice
each either neither whether whose whom which itself himself herself themselves myself yourself
ourselves this that these those there here what who how when where why yes no not

call day side number sound water part place made live round man show form sentence help line
turn cause mean move boy old tell does set three air play small end put home read hand port large
spell add land big high follow act ask men change went light kind need house picture try animal
point mother world build self earth father head stand page country found answer school grow study
learn plant cover food sun four state keep eye let thought city tree cross farm hard start might
story saw far sea draw left late run don't press close night real life north open seem together
white children begin got walk example ease paper group music mark letter mile river car feet care
second book carry took science eat room friend began idea fish mountain stop base hear horse cut
sure watch color colour face wood main enough plain girl usual young ready ever red list feel talk bird
soon body dog family direct pose leave song measure door product black short numeral class wind
question happen complete ship area half rock order fire south problem piece told knew pass top
whole king space heard best hour better true hundred five remember step early hold west ground
interest reach fast verb sing listen six table travel less morning ten simple several vowel war
lay pattern slow center centre love person money serve appear road map rain rule govern pull cold
notice voice unit power town fine certain fly fall lead cry dark machine note wait plan figure
star box noun field rest correct able pound done beauty drive stood contain front teach week final
gave green oh quick develop ocean warm free minute strong special mind clear tail produce fact
street inch multiply course stay wheel full force blue object decide surface deep moon island foot
system busy test record boat common gold possible plane dry wonder laugh thousand ago ran check
game shape equal hot miss brought heat snow tire bring distant fill east paint language grand
ball wave drop heart am present heavy dance engine position arm wide sail material size vary
settle speak weight general ice matter circle pair include divide felt perhaps pick sudden count
square reason length represent art subject region energy hunt probable bed brother egg ride cell
believe fraction forest sit race window store summer train sleep prove leg exercise wall catch
mount wish sky board joy winter sat written wild instrument kept glass grass cow job edge sign
visit past soft fun bright gas weather month million bear finish happy hope flower strange gone
jump baby eight village meet root buy raise solve metal push seven paragraph third shall held hair
describe cook floor result burn hill safe cat century consider type law bit coast copy phrase
silent tall sand soil roll temperature finger industry value fight lie beat excite natural view
sense ear quite broke case middle kill son lake moment scale loud spring observe child straight
nation dictionary milk speed method organ pay age section dress cloud surprise quiet stone tiny
climb cool design poor lot experiment bottom key iron single stick flat twenty skin smile hole
trade trip office receive row mouth exact symbol die least trouble shout except wrote seed tone
join suggest clean break lady yard rise bad blow oil blood touch grew cent mix team wire cost lost
brown wear garden sent choose fell fit flow fair bank collect save control decimal gentle woman
captain practice separate difficult doctor please protect noon locate ring character insect caught
period indicate radio spoke atom human history effect electric expect crop modern element hit
student corner party supply bone rail imagine provide agree thus capital won't chair danger fruit
rich thick soldier process operate guess necessary sharp wing create neighbor neighbour wash bat rather
crowd corn compare poem string bell depend meat rub tube famous dollar stream fear sight thin
triangle planet hurry chief colony clock mine tie enter major fresh search send yellow gun allow
print dead spot desert suit current lift rose continue block chart hat sell success company
subtract event particular deal swim term opposite wife shoe shoulder spread arrange camp invent
cotton born determine quart nine truck noise level chance gather shop stretch throw shine property
column molecule select wrong gray grey repeat require broad prepare salt nose plural anger claim
continent oxygen sugar death pretty skill women season solution magnet silver thank branch match
suffix especially afraid huge sister steel discuss forward similar guide experience score apple
bought led pitch coat mass card band rope slip win dream evening condition feed tool total basic
smell valley nor double seat arrive master track parent shore division sheet substance favor
connect post spend chord fat glad original share station dad bread charge proper bar offer
segment instant market degree populate chick dear enemy reply drink occur support speech nature
range steam motion path liquid log meant quotient teeth shell neck

actually address adult affect afternoon agency agent ahead almost alone amazing amount analysis
analyze analyse approach argue article artist assume attack attention audience author authority available
avoid away bag beautiful become behavior behaviour benefit beyond bill billion budget building business
camera campaign cancer candidate career central certainly challenge choice church citizen civil
clearly coach collection college commercial community computer concern conference congress
consumer couple court crime cultural culture cup customer data daughter debate decade decision
defense democratic detail development difference different dinner direction director discover
discussion disease drug easy economic economy education effort election employee enjoy entire
environment environmental establish everybody evidence exactly executive exist expert explain
factor fail feeling film finally financial firm focus foreign forget former fund future goal
government growth guy hang health hospital hotel husband identify image impact important improve
including increase indeed individual information inside instead institution interesting
international interview investment involve issue item kid kitchen knowledge lawyer leader legal
likely local lose loss magazine maintain majority manage management manager marriage maybe media
medical meeting member memory mention message military mission model movement movie mr mrs ms
myself national nearly network news newspaper nice none officer official ok okay onto operation
opportunity option organization organisation others outside owner pain painting participant particularly
partner patient peace per perform performance personal phone physical player police policy
political politics popular population positive pressure prevent price private probably
production professional professor program programme project public purpose quality quickly rate
reality realize realise really recent recently recognize recognise reduce reflect relate relationship
religious remain remove report republican research resource respond response responsibility
return reveal risk role scene scientist security seek senior series serious service sexual
shake shoot shot significant simply site situation social society somebody someone somewhere sort
source southern specific sport staff stage standard statement stock strategy structure stuff
style successful suddenly suffer task tax teacher technology television theory threat throughout
today tonight tough traditional training treat treatment trial truth understand various victim
violence vote weapon western whatever worker worry writer yeah yourself

also able about above accept access according account achieve action active activity add
additional advantage advice age ago allow along alternative analysis animal annual answer apply
appropriate area argument arm around art ask aspect assist assistant associate attempt attend
attitude attract average award aware balance basis bear beginning benefit better blog brand brief
bring broad build busy calculate capacity care careful carry category cause celebrate chain
character characteristic charity cheap choose circumstance claim classic clean client climate close
code combination combine comfortable comment commit committee communicate communication compete
competition complex component concept conclusion conduct confidence confirm conflict consequence
consider consistent constant construction contact content context contract contribute convert
conversation core cost costs count cover create creative credit critical crucial current customers
daily damage date deal define definition deliver demand department depend deposit describe
description desire despite destroy detect device diet digital direct discount display distance
distribute document domain double draft due earn effective efficient effectively either electronic
email emotional emphasize employ enable encourage engage engineer enhance ensure entry environment
equipment error essay essential estimate evaluate eventually examine excellent exchange existing
expand expensive explore express extend extra facility familiar feature fee feedback file fill
filter finance flexible floor flower follow following format forms frequently friendly function
further gain generate generally gift global grade graph greater guarantee habit handle happen
hardware healthy height helpful highlight hire historical holiday huge ideal identity ignore
illegal illustrate immediately implement imply impossible income independent indicate influence
initial input install instance instruction instructions intelligence intend internet introduce
invest investigate invite involved journey judge justice keep label lack largely layer learning
length lesson library license limit link living loan location logic luxury mainly major manner
manual mark master match maximum meal measure mechanism mental method minimum mobile moderate
modify monitor mostly motor multiple narrative native negative nervous normal normally novel
numbers object obtain obvious obviously occasion offer online operate opinion order ordinary
organize origin otherwise output overall pace package pair paragraph parent partly passage
password payment percent percentage perfect permanent permission perspective phrase platform
pleasure plenty plus poet poetry point portion positive possibly potential powerful practical
prefer preparation presence presentation preserve primary principle print prior priority
procedure produce profile profit progress promote proper properly proposal protection proud
provided provider psychology publish quarter quote ratio reader reading reasonable receipt
recipe recommend recommendation reference regard regular regularly release relevant rely remote
rent repair replace request require requirement resolve respect respectively restaurant review
reward role routine safety salary sample satisfy schedule screen secret select sequence session
setting severe shape shopping signal silence similar skills slightly smart software solid
solution specific speaker spending stable statistics status storage straightforward stress
strength strongly studio submit suitable summary supply surround survey sustainable switch
target technique technical temporary tend text theme therefore thinking thoroughly tip title
topic towards track traffic transfer translate transport trend trust typical typically unique
university unless update upper user users valuable variety vehicle version via visual volume
website weekend welcome whereas wherever widely willing wise wonderful worth writing yourselves

assistant sorry unable cannot can't didn't doesn't isn't aren't wasn't weren't haven't hasn't
hadn't wouldn't shouldn't couldn't i'm i've i'll i'd you're you've you'll we're we've they're
they've it's that's there's here's what's let's hello hi hey thanks thank welcome please ai
chatbot generate explain summarize summarise rewrite classify translate identify suggest
sentences words word paragraphs essay poem story haiku tweet headline title slogan tips ways
steps benefits examples reasons factors advantages disadvantages pros cons list lists
following provided given below above instead regarding based related

dollar dollars cent cents price prices cost total sum each per twice half third quarter
double triple percent hours hour minutes minute seconds days weeks months years miles mile
kilometers meters feet foot inches inch pounds ounces gallons liters cups cup dozen pairs
apples apple oranges orange bananas banana cookies cookie eggs egg pizza slices cake candy
candies pies pie toys toy books marbles stickers cards pencils pens tickets ticket students
class classes teachers school friends brother sister mom dad mother father grandma grandpa uncle
aunt cousin kids boys girls people adults children baby puppies dogs cats birds chickens cows
sheep goats pigs horses fish garden farm trees flowers plants seeds store shop bought sold sells
buys pays paid spent spends earns earned saves saved costs money bills coins cash bank wage
wages salary rent discount profit loss tax tip fee budget remaining rest left altogether combined
initially originally finally then after before every week daily weekly monthly yearly annually
rate speed distance average ratio fraction decimal percentage number numbers twice thrice
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred thousand million billion first second third fourth fifth sixth seventh eighth ninth tenth
many much more most less least fewer few several enough times multiplied divided plus minus
equals total difference product quotient answer solve calculate find how

computer computers software hardware internet website web online digital data database server
network networks code coding program programs programming language languages python java
javascript function functions variable variables class method object array list string strings
integer loop algorithm algorithms machine learning artificial intelligence neural model models
training dataset datasets deep app apps application applications user users device devices
phone phones email emails password security privacy technology technologies system systems
tool tools platform cloud storage file files image images video videos text texts content media
social marketing customer customers product products service services business businesses
company companies team teams project projects management employee employees job jobs work career
health healthy exercise diet food foods meal meals sleep stress mental physical body disease
doctor medicine medical patient patients care water energy environment climate change pollution
waste recycle recycling renewable solar wind power electricity carbon emissions global warming
planet earth nature natural animals species wildlife ocean forest forests river rivers mountain
city cities country countries world state states government law laws policy rights freedom
history historical war wars culture cultural art music movie movies film films book books
author novel character characters story stories poem poems song songs game games sport sports
team player players travel trip hotel flight flights vacation holiday visa weather attractions
tourist tourists visit visiting beach beaches museum museums restaurant restaurants local
harmful dangerous illegal unethical unsafe harm hurt violence violent weapon weapons drugs
crime criminal steal stealing hack hacking attack attacks bomb kill killing abuse fraud scam
dangerous safety safe legal ethical responsible appropriate guidelines policy policies
refuse cannot assist request requests content instructions instruction advice support
other name known verify contrast currency observation math outline monday tuesday wednesday thursday
friday saturday sunday january february march april june july august september october november
december chicken robot prioritize translation offensive transaction refund purchase won compose
ability inappropriate matrix ingredients association prime non fellow stolen cheese ultimately
sales accuracy random laptop yesterday healthcare refrain vision struggling ate eaten hidden computing
industrial emotions emotion say says moral likelihood delivery lower accurate detection french consent
precision prediction predictions recipient seen regulations dignity import index usage confusion birth
taken reduction cancel formula calories british informative genre became low assumption recall
approximately preferences odd background equation bowl came secure union append announced boundaries
nuclear binary revenue demonstrate minister balloon federal destination named basketball giant built
automatic expression emergency bus pack valid extraction entertainment coffee integrity abilities
discrimination suggestions split previous plastic chocolate beans boss activate chemical football
numerous efficiency advanced rice cream legitimate appearance digits medium addiction bottle edit
vector olympics dish dishes plate league external pet insult shift personalized americans margin
mathematics scientific chips predictive broccoli acceptance sensitive gradient expire inflation
offense entity addition guidance honest optimization potato potatoes importance terminate fix angle
refers bridge consumption puzzle crisis tank medal carrot proposed tomato tomatoes expenses sale
murder actual alcohol ray hurricane representation english brain favorite favourite plot enforcement
spare outcome fiction joint theft sandwich sandwiches pink intentionally chinese tour anywhere virus
capable probability broken constructive consult weigh weighs japanese linear distribution sweet
shown oven arrival clothing border net super organic relation fake episode controversial brainstorm
victory equality female male synthesis diverse physics spanish disaster grocery complexity forgotten
orientation inquiries empty reverse evaluation internal incorrect insurance implications increasingly
correlation gallon taste violation pepper educational smartphone acquire cuisine queries adventure
met neutral sauce racism interactions relative hate cube implementation empathy drama kingdom army
workplace calendar corresponding productive interactive atmosphere interaction width evolution
diversity verification biological belief stereotype min driven frame friendship connections sang
launch construct consume withdraw bake candles soda jelly comedy frequency anxiety informed accused
autonomous failure investigation relations funny worst juice gum greenhouse minimize injury pool lunch
script fictional punishment unfair mixture honesty birthday previously battle socks sophisticated
keywords laundry went gone given taken told sold spent stood understood wore worn thrown drawn grown
known shown begun drunk sung swum flown driven ridden risen chose chosen forgot froze frozen hid hung
lent lit meant paid rang shook shut slid spoke spun stole stuck struck swept swung taught tore torn
woke wound upset bet cast hurt quit spread bid fed fled fought ground led
`;

/** Distinct lower-case words, most frequent first (the order of first appearance above). */
export const COMMON_WORDS: readonly string[] = [...new Set(WORDS.split(/\s+/).filter((w) => w.length > 0))];
